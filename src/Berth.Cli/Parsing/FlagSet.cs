using System.Globalization;
using Berth.GoText;

namespace Berth.Cli.Parsing;

/// <summary>
/// A hand-written parser with the semantics of spf13/pflag, which the docker CLI uses: short flags combine
/// (<c>-it</c>), take attached values (<c>-p80:80</c>, <c>-d=false</c>), long flags take <c>--x=v</c> or
/// <c>--x v</c> (the next word even when it starts with '-'), <c>--</c> ends flags, and for run/create/exec
/// flags stop at the first positional word (the image), so everything after it belongs to the container command.
/// System.CommandLine could not express that last rule together with pflag's clustering and error texts.
/// </summary>
public sealed class FlagSet
{
    private readonly Dictionary<string, FlagSpec> _long = new(StringComparer.Ordinal);
    private readonly Dictionary<char, FlagSpec> _short = [];

    public FlagSet(IEnumerable<FlagSpec> flags, bool interspersed = true)
    {
        Interspersed = interspersed;
        foreach (var flag in flags)
        {
            _long.Add(flag.Long, flag);
            if (flag.Short is { } s)
                _short.Add(s, flag);
        }
    }

    /// <summary>False for commands whose first positional word ends flag parsing (run, create, exec).</summary>
    public bool Interspersed { get; }

    public IEnumerable<FlagSpec> Flags => _long.Values;

    public ParsedFlags Parse(IReadOnlyList<string> args)
    {
        var result = new ParsedFlags();
        var i = 0;
        while (i < args.Count)
        {
            var arg = args[i++];
            if (arg == "--")
            {
                result.Positionals.AddRange(args.Skip(i));
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                result.Positionals.Add(arg);
                if (!Interspersed)
                {
                    result.Positionals.AddRange(args.Skip(i));
                    break;
                }
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
                i = ParseLong(arg, args, i, result);
            else
                i = ParseShortCluster(arg, args, i, result);
        }
        return result;
    }

    private int ParseLong(string arg, IReadOnlyList<string> args, int next, ParsedFlags result)
    {
        var body = arg[2..];
        var eq = body.IndexOf('=');
        var name = eq >= 0 ? body[..eq] : body;
        if (name.Length == 0 || name[0] == '-' || name[0] == '=')
            throw new UsageException($"bad flag syntax: {arg}");
        if (!_long.TryGetValue(name, out var flag))
        {
            if (name == "help")
            {
                result.HelpRequested = true;
                return next;
            }
            throw new UsageException($"unknown flag: --{name}");
        }
        string value;
        if (eq >= 0)
            value = body[(eq + 1)..];
        else if (flag.Kind == FlagKind.Bool)
            value = "true";
        else if (next < args.Count)
            value = args[next++];
        else
            throw new UsageException($"flag needs an argument: --{name}");
        Store(flag, value, result);
        return next;
    }

    private int ParseShortCluster(string arg, IReadOnlyList<string> args, int next, ParsedFlags result)
    {
        var rest = arg[1..];
        while (rest.Length > 0)
        {
            var c = rest[0];
            if (!_short.TryGetValue(c, out var flag))
            {
                if (c == 'h')
                {
                    result.HelpRequested = true;
                    rest = rest[1..];
                    continue;
                }
                throw new UsageException($"unknown shorthand flag: '{c}' in -{rest}");
            }
            string value;
            if (rest.Length > 2 && rest[1] == '=')
            {
                value = rest[2..];
                rest = "";
            }
            else if (flag.Kind == FlagKind.Bool)
            {
                value = "true";
                rest = rest[1..];
            }
            else if (rest.Length > 1)
            {
                value = rest[1..];
                rest = "";
            }
            else if (next < args.Count)
            {
                value = args[next++];
                rest = "";
            }
            else
            {
                throw new UsageException($"flag needs an argument: '{c}' in -{c}");
            }
            Store(flag, value, result);
        }
        return next;
    }

    private static void Store(FlagSpec flag, string value, ParsedFlags result)
    {
        var error = flag.Kind switch
        {
            FlagKind.Bool when Berth.GoText.GoBool.Parse(value) is null => $"strconv.ParseBool: parsing \"{value}\": invalid syntax",
            FlagKind.Int when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                => $"strconv.ParseInt: parsing \"{value}\": invalid syntax",
            FlagKind.Duration when !GoDuration.TryParse(value, out _, out var durationError) => durationError,
            _ => flag.Validate?.Invoke(value),
        };
        if (error is not null)
            throw new UsageException($"invalid argument \"{value}\" for \"{flag.DisplayName}\" flag: {error}");
        result.Set(flag.Long, value);
    }
}
