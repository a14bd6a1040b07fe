namespace Berth.GoText;

/// <summary>Go's strconv.ParseBool, which docker reads every boolean flag, option and setting with.</summary>
public static class GoBool
{
    /// <summary>1, t, T, TRUE, true, True are true; 0, f, F, FALSE, false, False are false; anything else is null.</summary>
    public static bool? Parse(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
