using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public sealed class ProjectLoaderTests() : ComposeFileTests("berth-compose-loader-")
{
    private static (JsonObject Document, Berth.Compose.Model.ModelReaderContext Context) Load(ProjectOptions options) =>
        ProjectLoader.LoadDocument(options);

    private static string Error(ProjectOptions options) =>
        Assert.Throws<ComposeException>(() => ProjectLoader.LoadDocument(options)).Message;

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    [Fact]
    public void Discovers_compose_yaml_in_the_current_directory()
    {
        var file = Write("app/compose.yaml", "services:\n  web: {image: nginx}");
        var (document, context) = Load(Options(Dir("app")));
        Assert.Equal([file], context.ConfigFiles);
        Assert.Equal(Path.Combine(_root, "app"), context.WorkingDirectory);
        Assert.Equal("nginx", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void Prefers_compose_yaml_over_the_older_names()
    {
        var file = Write("app/compose.yaml", "services: {}");
        Write("app/docker-compose.yml", "services: {}");
        Write("app/compose.yml", "services: {}");
        Assert.Equal([file], Load(Options(Dir("app"))).Context.ConfigFiles);
    }

    [Fact]
    public void Walks_up_to_a_parent_and_uses_its_directory_and_dot_env()
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
    public void Loads_the_override_file_of_the_same_family_after_the_base()
    {
        var file = Write("app/compose.yaml", "services:\n  web: {image: a, ports: ['80:80']}");
        var overrideFile = Write("app/compose.override.yml", "services:\n  web: {image: b, ports: ['81:81']}");
        Write("app/docker-compose.override.yml", "services:\n  web: {image: wrong}");
        var (document, context) = Load(Options(Dir("app")));
        Assert.Equal([file, overrideFile], context.ConfigFiles);
        Assert.Equal("""{"image":"b","ports":["80:80","81:81"]}""", document["services"]!["web"]!.ToJsonString());
    }

    [Fact]
    public void Docker_compose_family_takes_its_own_override()
    {
        var file = Write("app/docker-compose.yaml", "services: {}");
        var overrideFile = Write("app/docker-compose.override.yaml", "services: {}");
        Write("app/compose.override.yaml", "services: {}");
        Assert.Equal([file, overrideFile], Load(Options(Dir("app"))).Context.ConfigFiles);
    }

    [Fact]
    public void No_file_found_fails() =>
        Assert.Equal("no configuration file provided: not found", Error(Options(Dir("empty"))));

    [Fact]
    public void A_missing_explicit_file_fails_with_its_absolute_path() =>
        Assert.Equal($"open {Path.Combine(_root, "nope.yaml")}: no such file or directory",
            Error(Options(_root) with { ConfigFiles = ["nope.yaml"] }));

    [Fact]
    public void Explicit_files_are_merged_in_order_and_skip_discovery_and_override()
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
    public void Compose_file_from_dot_env_replaces_discovery()
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
    public void Stdin_uses_the_current_directory_as_project_directory()
    {
        var (document, context) = Load(Options(Dir("here")) with { ConfigFiles = ["-"], StdinText = "services:\n  web: {image: x}" });
        Assert.Equal(Path.Combine(_root, "here"), context.WorkingDirectory);
        Assert.Equal("here", context.ProjectName);
        Assert.Equal("x", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void Project_directory_option_decides_the_directory_the_dot_env_and_the_name()
    {
        Write("conf/compose.yaml", "services:\n  web: {image: \"${IMAGE}\"}");
        Write("Other Dir/.env", "IMAGE=from-other");
        var (document, context) = Load(Options(_root) with { ConfigFiles = ["conf/compose.yaml"], ProjectDirectory = "Other Dir" });
        Assert.Equal(Path.Combine(_root, "Other Dir"), context.WorkingDirectory);
        Assert.Equal("otherdir", context.ProjectName);
        Assert.Equal("from-other", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void Shell_environment_wins_over_dot_env()
    {
        Write("compose.yaml", "services:\n  web: {image: \"${A}-${B}\"}");
        Write(".env", "A=env-a\nB=env-b");
        var (document, context) = Load(Options(_root, new() { ["A"] = "shell-a" }));
        Assert.Equal("shell-a-env-b", Text(document["services"]!["web"]!["image"]));
        Assert.Equal("env-b", context.Lookup("B"));
    }

    [Fact]
    public void Env_files_replace_dot_env_and_later_ones_win()
    {
        Write("compose.yaml", "services:\n  web: {image: \"${A}-${B}-${C:-none}\"}");
        Write(".env", "C=dotenv");
        Write("env/one.env", "A=1\nB=1");
        Write("env/two.env", "B=2");
        var (document, _) = Load(Options(_root) with { EnvFiles = ["env/one.env", "env/two.env"] });
        Assert.Equal("1-2-none", Text(document["services"]!["web"]!["image"]));
    }

    [Fact]
    public void A_missing_env_file_fails()
    {
        Write("compose.yaml", "services: {}");
        Assert.StartsWith("couldn't find env file: ", Error(Options(_root) with { EnvFiles = ["missing.env"] }));
    }

    [Fact]
    public void Explicit_project_name_wins_and_is_stored_in_the_document()
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
    public void An_invalid_explicit_project_name_fails(string name)
    {
        Write("compose.yaml", "services: {}");
        Assert.Equal(
            $"invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number",
            Error(Options(_root) with { ProjectName = name }));
    }

    [Fact]
    public void Compose_project_name_from_dot_env_is_normalized_and_beats_the_file()
    {
        Write("compose.yaml", "name: fromfile\nservices: {}");
        Write(".env", "COMPOSE_PROJECT_NAME=__My.Project");
        Assert.Equal("myproject", Load(Options(_root)).Context.ProjectName);
    }

    [Fact]
    public void The_file_name_is_interpolated_and_normalized()
    {
        Write("compose.yaml", "name: \"Shop-${STAGE}\"\nservices: {}");
        var (document, context) = Load(Options(_root, new() { ["STAGE"] = "Dev" }));
        Assert.Equal("shop-dev", context.ProjectName);
        Assert.Equal("""{"name":"shop-dev","services":{}}""", document.ToJsonString());
    }

    [Fact]
    public void The_name_is_added_first_when_the_files_have_none()
    {
        Write("My App.v2/compose.yaml", "services: {}");
        var (document, context) = Load(Options(Dir("My App.v2")));
        Assert.Equal("myappv2", context.ProjectName);
        Assert.Equal("""{"name":"myappv2","services":{}}""", document.ToJsonString());
    }

    [Fact]
    public void A_name_that_normalizes_to_nothing_fails()
    {
        Write("compose.yaml", "name: \"...\"\nservices: {}");
        Assert.StartsWith("invalid project name \"...\"", Error(Options(_root)));
    }

    [Fact]
    public void Interpolates_values_but_not_keys_and_keeps_extensions()
    {
        Write("compose.yaml", "x-common: &c {tag: \"$TAG\"}\nservices:\n  ${NAME}:\n    image: \"app:$TAG\"\n    environment: [\"COST=$$5\"]");
        var (document, _) = Load(Options(_root, new() { ["TAG"] = "7", ["NAME"] = "web" }));
        Assert.Equal("""{"tag":"7"}""", document["x-common"]!.ToJsonString());
        Assert.Equal("""{"${NAME}":{"image":"app:7","environment":["COST=$5"]}}""", document["services"]!.ToJsonString());
    }

    [Fact]
    public void Each_file_is_interpolated_before_merging_with_the_dotted_path_in_errors()
    {
        Write("compose.yaml", "services:\n  web: {image: ok}");
        Write("compose.override.yaml", "services:\n  web:\n    ports: [\"${BAD\"]");
        Assert.Equal("invalid interpolation format for services.web.ports[0].\nYou may need to escape any $ with another $.\n${BAD",
            Error(Options(_root)));
    }

    [Fact]
    public void Required_variables_fail_the_load()
    {
        Write("compose.yaml", "services:\n  web: {image: \"${IMAGE:?set IMAGE}\"}");
        Assert.Equal("required variable IMAGE is missing a value: set IMAGE", Error(Options(_root)));
    }

    [Fact]
    public void Profiles_come_from_the_option_else_compose_profiles()
    {
        Write("compose.yaml", "services: {}");
        Write(".env", "COMPOSE_PROFILES=debug, tools");
        Assert.Equal(["debug", "tools"], Load(Options(_root)).Context.Profiles);
        Assert.Equal(["dev"], Load(Options(_root) with { Profiles = ["dev"] }).Context.Profiles);
    }

    [Fact]
    public void An_empty_file_fails()
    {
        var file = Write("compose.yaml", "# nothing here\n");
        Assert.Equal($"{file}: empty compose file", Error(Options(_root)));
    }

    [Fact]
    public void Compose_file_from_dot_env_keeps_that_dot_env_for_interpolation()
    {
        var file = Write("deploy/app.yaml", "services:\n  web: {image: \"${IMAGE}\"}");
        Write(".env", "COMPOSE_FILE=deploy/app.yaml\nIMAGE=from-root");
        var (document, context) = Load(Options(_root));
        Assert.Equal([file], context.ConfigFiles);
        Assert.Equal(Path.Combine(_root, "deploy"), context.WorkingDirectory);
        Assert.Equal("from-root", Text(document["services"]!["web"]!["image"]));
    }
}
