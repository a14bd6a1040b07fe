using Berth.Cli.Parsing;

namespace Berth.Tests.Cli;

public sealed class FlagSetTests
{
    private static readonly FlagSpec[] Flags =
    [
        FlagSpec.Bool("interactive", 'i', ""),
        FlagSpec.Bool("tty", 't', ""),
        FlagSpec.Bool("rm", null, ""),
        FlagSpec.List("publish", 'p', ""),
        FlagSpec.List("env", 'e', ""),
        FlagSpec.String("name", null, ""),
        FlagSpec.Int("last", 'n', ""),
        FlagSpec.Duration("interval", ""),
    ];

    private static ParsedFlags Parse(bool interspersed, params string[] args) => new FlagSet(Flags, interspersed).Parse(args);

    [Fact]
    public void ShortBoolFlagsCombine()
    {
        var flags = Parse(false, "-it", "busybox", "sh");
        Assert.True(flags.Bool("interactive"));
        Assert.True(flags.Bool("tty"));
        Assert.Equal(["busybox", "sh"], flags.Positionals);
    }

    [Fact]
    public void ShortValueFlagsTakeAttachedOrNextValues()
    {
        var flags = Parse(true, "-p80:80", "-p", "8080:80", "-eA=1", "-p=9:9");
        Assert.Equal(["80:80", "8080:80", "9:9"], flags.List("publish"));
        Assert.Equal(["A=1"], flags.List("env"));
    }

    [Fact]
    public void ClusterEndsWithAValueFlag()
    {
        var flags = Parse(true, "-itp", "80");
        Assert.True(flags.Bool("tty"));
        Assert.Equal(["80"], flags.List("publish"));
    }

    [Fact]
    public void LongFlagsTakeEqualsOrNextWordEvenWithADash()
    {
        var flags = Parse(true, "--name=web", "--rm=false", "--env", "-x");
        Assert.Equal("web", flags.String("name"));
        Assert.False(flags.Bool("rm"));
        Assert.True(flags.Has("rm"));
        Assert.Equal(["-x"], flags.List("env"));
    }

    [Fact]
    public void FlagsAfterTheImageBelongToTheCommandWhenNotInterspersed()
    {
        var flags = Parse(false, "--rm", "busybox", "--rm", "-it");
        Assert.True(flags.Bool("rm"));
        Assert.Equal(["busybox", "--rm", "-it"], flags.Positionals);
    }

    [Fact]
    public void InterspersedFlagsMayFollowArguments()
    {
        var flags = Parse(true, "a", "-n", "3", "b");
        Assert.Equal(3, flags.Int("last"));
        Assert.Equal(["a", "b"], flags.Positionals);
    }

    [Fact]
    public void DoubleDashEndsFlags()
    {
        var flags = Parse(true, "--", "-it");
        Assert.False(flags.Bool("tty"));
        Assert.Equal(["-it"], flags.Positionals);
    }

    [Fact]
    public void BoolFlagDoesNotConsumeTheNextWord()
    {
        var flags = Parse(true, "--rm", "false");
        Assert.True(flags.Bool("rm"));
        Assert.Equal(["false"], flags.Positionals);
    }

    [Theory]
    [InlineData("unknown flag: --foo", "--foo")]
    [InlineData("unknown shorthand flag: 'x' in -x", "-x")]
    [InlineData("unknown shorthand flag: 'd' in -d=true", "-d=true")]
    [InlineData("flag needs an argument: 'n' in -n", "-n")]
    [InlineData("flag needs an argument: --name", "--name")]
    [InlineData("invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax", "-n", "x")]
    [InlineData("invalid argument \"x\" for \"--rm\" flag: strconv.ParseBool: parsing \"x\": invalid syntax", "--rm=x")]
    [InlineData("invalid argument \"5\" for \"--interval\" flag: time: missing unit in duration \"5\"", "--interval", "5")]
    public void ErrorsUsePflagsWording(string message, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => Parse(true, args));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void HelpIsRecognised()
    {
        Assert.True(Parse(true, "--help").HelpRequested);
        Assert.True(Parse(true, "-h").HelpRequested);
    }

    [Theory]
    [InlineData("64m", 67108864L)]
    [InlineData("1g", 1073741824L)]
    [InlineData("512k", 524288L)]
    [InlineData("64", 64L)]
    [InlineData("1.5GB", 1610612736L)]
    [InlineData("10mib", 10485760L)]
    public void RamSizesParseInBinaryUnits(string text, long bytes) => Assert.Equal(bytes, ByteSizes.ParseRam(text));

    [Fact]
    public void BadRamSizeIsRefused() => Assert.Equal("invalid size: 'foo'", ByteSizes.ValidateRam("foo"));

    [Theory]
    [InlineData("1.5", 1_500_000_000L)]
    [InlineData("0.001", 1_000_000L)]
    [InlineData("2", 2_000_000_000L)]
    public void CpusBecomeNanoCpus(string text, long nanos)
    {
        Assert.True(ByteSizes.TryParseNanoCpus(text, out var value, out _));
        Assert.Equal(nanos, value);
    }
}

public sealed class CommandTableTests
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var command in Berth.Cli.CommandTable.TopLevel)
            data.Add(command.Name);
        foreach (var group in Berth.Cli.CommandTable.Groups)
        {
            foreach (var command in group.Commands)
                data.Add(group.Name + " " + command.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandsFlagsFormAValidSet(string path)
    {
        var words = path.Split(' ');
        var spec = words.Length == 1
            ? Berth.Cli.CommandTable.TopLevel.Single(c => c.Name == words[0])
            : Berth.Cli.CommandTable.Groups.Single(g => g.Name == words[0]).Find(words[1])!;
        var flags = new FlagSet(spec.Flags, spec.Interspersed).Parse(["--help"]);
        Assert.True(flags.HelpRequested);
        Assert.NotEmpty(Berth.Cli.HelpWriter.Command("berth " + path, spec));
    }
}
