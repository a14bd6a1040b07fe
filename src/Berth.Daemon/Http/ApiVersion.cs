namespace Berth.Daemon.Http;

/// <summary>The Engine API versions berthd serves, and the comparison Docker's clients expect ("1.9" &lt; "1.41").</summary>
public static class ApiVersion
{
    public const string Current = "1.50";
    public const string Minimum = "1.24";

    public static int Compare(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            int xi = i < x.Length && int.TryParse(x[i], out var xv) ? xv : 0;
            int yi = i < y.Length && int.TryParse(y[i], out var yv) ? yv : 0;
            if (xi != yi) return xi.CompareTo(yi);
        }
        return 0;
    }

    /// <summary>The version a request asked for with its <c>/v1.NN/</c> prefix, or the current one.</summary>
    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? Current;

    public static bool AtLeast(HttpContext context, string version) => Compare(Of(context), version) >= 0;

    public const string ItemKey = "berth.api-version";
}
