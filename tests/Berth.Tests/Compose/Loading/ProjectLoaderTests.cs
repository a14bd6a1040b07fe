using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public sealed class ProjectLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-compose-loader-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private string Dir(string relativePath) => Directory.CreateDirectory(Path.Combine(_root, relativePath)).FullName;

    private static ProjectOptions Options(string currentDirectory, Dictionary<string, string>? shell = null) => new()
    {
        CurrentDirectory = currentDirectory,
        Environment = name => shell is not null && shell.TryGetValue(name, out var value) ? value : null,
    };

    private static (JsonObject Document, Berth.Compose.Model.ModelReaderContext Context) Load(ProjectOptions options) =>
        ProjectLoader.LoadDocument(options);

    private static string Error(ProjectOptions options) =>
        Assert.Throws<ComposeException>(() => ProjectLoader.LoadDocument(options)).Message;

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    [Fact]
    public void DiscoversComposeYamlInTheCurrentDirectory()
    {
        var file = Write("app/compose.yaml", "services:\n  web: {image: nginx}");
        var (document, context) = Load(Options(Dir("app")));
        Assert.Equal([file], context.ConfigFiles);
        Assert.Equal(Path.Combine(_root, "app"), context.WorkingDirectory);
        Assert.Equal("nginx", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void PrefersComposeYamlOverTheOlderNames()
    {
        var file = Write("app/compose.yaml", "services: {}");
        Write("app/docker-compose.yml", "services: {}");
        Write("app/compose.yml", "services: {}");
        Assert.Equal([file], Load(Options(Dir("app"))).Context.ConfigFiles);
    }

    [Fact]
    public void WalksUpToAParentAndUsesItsDirectoryAndDotEnv()
    {
        var file = Write("app/docker-compose.yml", "services:\n  web: {image: \"nginx:${TAG}\"}");
        Write("app/.env", "TAG=1.25");
        var (document, context) = Load(Options(Dir("app/src/deep")));
        Assert.Equal([file], context.ConfigFiles);
        Assert.Equal(Path.Combine(_root, "app"), context.WorkingDirectory);
        Assert.Equal("app", context.ProjectName);
        Assert.Equal("nginx:1.25", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void LoadsTheOverrideFileOfTheSameFamilyAfterTheBase()
    {
        var file = Write("app/compose.yaml", "services:\n  web: {image: a, ports: ['80:80']}");
        var overrideFile = Write("app/compose.override.yml", "services:\n  web: {image: b, ports: ['81:81']}");
        Write("app/docker-compose.override.yml", "services:\n  web: {image: wrong}");
        var (document, context) = Load(Options(Dir("app")));
        Assert.Equal([file, overrideFile], context.ConfigFiles);
        Assert.Equal("""{"image":"b","ports":["80:80","81:81"]}""", document["services"]!["web"]!.ToJsonString());
    }

    [Fact]
    public void DockerComposeFamilyTakesItsOwnOverride()
    {
        var file = Write("app/docker-compose.yaml", "services: {}");
        var overrideFile = Write("app/docker-compose.override.yaml", "services: {}");
        Write("app/compose.override.yaml", "services: {}");
        Assert.Equal([file, overrideFile], Load(Options(Dir("app"))).Context.ConfigFiles);
    }

    [Fact]
    public void NoFileFoundFails() =>
        Assert.Equal("no configuration file provided: not found", Error(Options(Dir("empty"))));

    [Fact]
    public void AMissingExplicitFileFailsWithItsAbsolutePath() =>
        Assert.Equal($"open {Path.Combine(_root, "nope.yaml")}: no such file or directory",
            Error(Options(_root) with { ConfigFiles = ["nope.yaml"] }));

    [Fact]
    public void ExplicitFilesAreMergedInOrderAndSkipDiscoveryAndOverride()
    {
        Write("compose.yaml", "services:\n  web: {image: discovered}");
        Write("compose.override.yaml", "services:\n  web: {image: override}");
        var a = Write("conf/a.yaml", "services:\n  web: {image: a, environment: [X=1]}");
        var b = Write("conf/b.yaml", "services:\n  web: {environment: {Y: 2}}");
        var (document, context) = Load(Options(_root) with { ConfigFiles = ["conf/a.yaml", b] });
        Assert.Equal([a, b], context.ConfigFiles);
        Assert.Equal(Path.Combine(_root, "conf"), context.WorkingDirectory);
        Assert.Equal("""{"image":"a","environment":{"X":"1","Y":"2"}}""", document["services"]!["web"]!.ToJsonString());
    }

    [Fact]
    public void ComposeFileFromDotEnvReplacesDiscovery()
    {
        Write("compose.yaml", "services:\n  web: {image: discovered}");
        var a = Write("one.yaml", "services:\n  web: {image: one}");
        var b = Write("two.yaml", "services:\n  web: {image: two}");
        Write(".env", "COMPOSE_FILE=one.yaml;two.yaml\nCOMPOSE_PATH_SEPARATOR=;");
        var (document, context) = Load(Options(_root));
        Assert.Equal([a, b], context.ConfigFiles);
        Assert.Equal("two", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void StdinUsesTheCurrentDirectoryAsProjectDirectory()
    {
        var (document, context) = Load(Options(Dir("here")) with { ConfigFiles = ["-"], StdinText = "services:\n  web: {image: x}" });
        Assert.Equal(Path.Combine(_root, "here"), context.WorkingDirectory);
        Assert.Equal("here", context.ProjectName);
        Assert.Equal("x", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void ProjectDirectoryOptionDecidesTheDirectoryTheDotEnvAndTheName()
    {
        Write("conf/compose.yaml", "services:\n  web: {image: \"${IMAGE}\"}");
        Write("Other Dir/.env", "IMAGE=from-other");
        var (document, context) = Load(Options(_root) with { ConfigFiles = ["conf/compose.yaml"], ProjectDirectory = "Other Dir" });
        Assert.Equal(Path.Combine(_root, "Other Dir"), context.WorkingDirectory);
        Assert.Equal("otherdir", context.ProjectName);
        Assert.Equal("from-other", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void ShellEnvironmentWinsOverDotEnv()
    {
        Write("compose.yaml", "services:\n  web: {image: \"${A}-${B}\"}");
        Write(".env", "A=env-a\nB=env-b");
        var (document, context) = Load(Options(_root, new() { ["A"] = "shell-a" }));
        Assert.Equal("shell-a-env-b", Text(document["services"]!["web"]!["image"]));
        Assert.Equal("env-b", context.Lookup("B"));
    }

    [Fact]
    public void EnvFilesReplaceDotEnvAndLaterOnesWin()
    {
        Write("compose.yaml", "services:\n  web: {image: \"${A}-${B}-${C:-none}\"}");
        Write(".env", "C=dotenv");
        Write("env/one.env", "A=1\nB=1");
        Write("env/two.env", "B=2");
        var (document, _) = Load(Options(_root) with { EnvFiles = ["env/one.env", "env/two.env"] });
        Assert.Equal("1-2-none", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void AMissingEnvFileFails()
    {
        Write("compose.yaml", "services: {}");
        Assert.StartsWith("couldn't find env file: ", Error(Options(_root) with { EnvFiles = ["missing.env"] }));
    }

    [Fact]
    public void ExplicitProjectNameWinsAndIsStoredInTheDocument()
    {
        Write("compose.yaml", "name: fromfile\nservices: {}");
        var (document, context) = Load(Options(_root, new() { ["COMPOSE_PROJECT_NAME"] = "fromenv" }) with { ProjectName = "my_app-2" });
        Assert.Equal("my_app-2", context.ProjectName);
        Assert.Equal("my_app-2", Text(document["name"]));
    }

    [Theory]
    [InlineData("MyApp")]
    [InlineData("_app")]
    [InlineData("my.app")]
    public void AnInvalidExplicitProjectNameFails(string name)
    {
        Write("compose.yaml", "services: {}");
        Assert.Equal(
            $"invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number",
            Error(Options(_root) with { ProjectName = name }));
    }

    [Fact]
    public void ComposeProjectNameFromDotEnvIsNormalizedAndBeatsTheFile()
    {
        Write("compose.yaml", "name: fromfile\nservices: {}");
        Write(".env", "COMPOSE_PROJECT_NAME=__My.Project");
        Assert.Equal("myproject", Load(Options(_root)).Context.ProjectName);
    }

    [Fact]
    public void TheFileNameIsInterpolatedAndNormalized()
    {
        Write("compose.yaml", "name: \"Shop-${STAGE}\"\nservices: {}");
        var (document, context) = Load(Options(_root, new() { ["STAGE"] = "Dev" }));
        Assert.Equal("shop-dev", context.ProjectName);
        Assert.Equal("""{"name":"shop-dev","services":{}}""", document.ToJsonString());
    }

    [Fact]
    public void TheNameIsAddedFirstWhenTheFilesHaveNone()
    {
        Write("My App.v2/compose.yaml", "services: {}");
        var (document, context) = Load(Options(Dir("My App.v2")));
        Assert.Equal("myappv2", context.ProjectName);
        Assert.Equal("""{"name":"myappv2","services":{}}""", document.ToJsonString());
    }

    [Fact]
    public void ANameThatNormalizesToNothingFails()
    {
        Write("compose.yaml", "name: \"...\"\nservices: {}");
        Assert.StartsWith("invalid project name \"...\"", Error(Options(_root)));
    }

    [Fact]
    public void InterpolatesValuesButNotKeysAndKeepsExtensions()
    {
        Write("compose.yaml", "x-common: &c {tag: \"$TAG\"}\nservices:\n  ${NAME}:\n    image: \"app:$TAG\"\n    environment: [\"COST=$$5\"]");
        var (document, _) = Load(Options(_root, new() { ["TAG"] = "7", ["NAME"] = "web" }));
        Assert.Equal("""{"tag":"7"}""", document["x-common"]!.ToJsonString());
        Assert.Equal("""{"${NAME}":{"image":"app:7","environment":["COST=$5"]}}""", document["services"]!.ToJsonString());
    }

    [Fact]
    public void EachFileIsInterpolatedBeforeMergingWithTheDottedPathInErrors()
    {
        Write("compose.yaml", "services:\n  web: {image: ok}");
        Write("compose.override.yaml", "services:\n  web:\n    ports: [\"${BAD\"]");
        Assert.Equal("invalid interpolation format for services.web.ports[0].\nYou may need to escape any $ with another $.\n${BAD",
            Error(Options(_root)));
    }

    [Fact]
    public void RequiredVariablesFailTheLoad()
    {
        Write("compose.yaml", "services:\n  web: {image: \"${IMAGE:?set IMAGE}\"}");
        Assert.Equal("required variable IMAGE is missing a value: set IMAGE", Error(Options(_root)));
    }

    [Fact]
    public void ProfilesComeFromTheOptionElseComposeProfiles()
    {
        Write("compose.yaml", "services: {}");
        Write(".env", "COMPOSE_PROFILES=debug, tools");
        Assert.Equal(["debug", "tools"], Load(Options(_root)).Context.Profiles);
        Assert.Equal(["dev"], Load(Options(_root) with { Profiles = ["dev"] }).Context.Profiles);
    }

    [Fact]
    public void AnEmptyFileFails()
    {
        var file = Write("compose.yaml", "# nothing here\n");
        Assert.Equal($"{file}: empty compose file", Error(Options(_root)));
    }

    [Fact]
    public void ComposeFileFromDotEnvKeepsThatDotEnvForInterpolation()
    {
        var file = Write("deploy/app.yaml", "services:\n  web: {image: \"${IMAGE}\"}");
        Write(".env", "COMPOSE_FILE=deploy/app.yaml\nIMAGE=from-root");
        var (document, context) = Load(Options(_root));
        Assert.Equal([file], context.ConfigFiles);
        Assert.Equal(Path.Combine(_root, "deploy"), context.WorkingDirectory);
        Assert.Equal("from-root", Text(document["services"]!["web"]!["image"]));
    }
}
