using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public sealed class IncludeTests() : ComposeFileTests("berth-compose-include-")
{
    private ProjectOptions Options(Dictionary<string, string>? shell = null) => Options(_root, shell);

    private JsonObject Document(Dictionary<string, string>? shell = null) => ProjectLoader.LoadDocument(Options(shell)).Document;

    private string Error() => Assert.Throws<ComposeException>(() => ProjectLoader.LoadDocument(Options())).Message;

    [Fact]
    public void Includes_the_resources_of_another_file_with_its_paths_relative_to_its_own_directory()
    {
        Write("compose.yaml", """
            include:
              - db/compose.yaml
            services:
              web:
                image: busybox
                depends_on: [db]
            """);
        Write("db/compose.yaml", """
            services:
              db:
                image: postgres
                build: .
                volumes: ["./init:/init", "data:/var/lib/postgresql/data"]
            volumes:
              data: {}
            secrets:
              password: {file: ./password.txt}
            """);

        var document = Document();

        Assert.False(document.ContainsKey("include"));
        var db = document["services"]!["db"]!;
        var dbDirectory = Path.Combine(_root, "db");
        Assert.Equal(dbDirectory, db["build"]!.GetValue<string>());
        Assert.Equal($"{dbDirectory}/init:/init", db["volumes"]![0]!.GetValue<string>());
        Assert.Equal("data:/var/lib/postgresql/data", db["volumes"]![1]!.GetValue<string>());
        Assert.Equal("{}", document["volumes"]!["data"]!.ToJsonString());
        Assert.Equal(Path.Combine(dbDirectory, "password.txt"), document["secrets"]!["password"]!["file"]!.GetValue<string>());
        Assert.Equal(["web", "db"], document["services"]!.AsObject().Select(entry => entry.Key));
    }

    [Fact]
    public void An_included_project_reads_its_own_dot_env_but_the_including_project_wins()
    {
        Write("compose.yaml", "include: [sub/compose.yaml]\nservices: {}\n");
        Write(".env", "SHARED=from-main\n");
        Write("sub/.env", "TAG=from-sub\nSHARED=from-sub\n");
        Write("sub/compose.yaml", "services:\n  app:\n    image: \"busybox:${TAG}\"\n    command: echo ${SHARED}\n");

        var app = Document()["services"]!["app"]!;

        Assert.Equal("busybox:from-sub", app["image"]!.GetValue<string>());
        Assert.Equal("echo from-main", app["command"]!.GetValue<string>());
    }

    [Fact]
    public void The_long_form_names_the_files_the_project_directory_and_the_env_file()
    {
        Write("compose.yaml", """
            include:
              - path: [lib/compose.yaml, lib/compose.more.yaml]
                project_directory: lib/root
                env_file: vars/lib.env
            """);
        Write("vars/lib.env", "TAG=9\n");
        Write("lib/compose.yaml", "services:\n  app: {image: \"busybox:${TAG}\", env_file: app.env}\n");
        Write("lib/compose.more.yaml", "services:\n  app: {command: more}\n");

        var app = Document()["services"]!["app"]!;

        Assert.Equal("""{"image":"busybox:9","env_file":"@/lib/root/app.env","command":"more"}""".Replace("@", _root),
            app.ToJsonString());
    }

    [Fact]
    public void A_resource_defined_differently_by_both_is_a_conflict()
    {
        Write("compose.yaml", "include: [other.yaml]\nservices:\n  web: {image: nginx}\n");
        Write("other.yaml", "services:\n  web: {image: busybox}\n");

        Assert.Equal("services.web conflicts with imported resource", Error());
    }

    [Fact]
    public void The_same_definition_included_twice_is_taken_once()
    {
        Write("compose.yaml", "include: [a/compose.yaml, b/compose.yaml]\n");
        Write("a/compose.yaml", "include: [../common/compose.yaml]\nservices:\n  a: {image: busybox}\n");
        Write("b/compose.yaml", "include: [../common/compose.yaml]\nservices:\n  b: {image: busybox}\n");
        Write("common/compose.yaml", "services:\n  common: {image: busybox}\nnetworks:\n  back: {}\n");

        var document = Document();

        Assert.Equal(["a", "common", "b"], document["services"]!.AsObject().Select(entry => entry.Key));
        Assert.True(document["networks"]!.AsObject().ContainsKey("back"));
    }

    [Fact]
    public void Includes_are_nested_with_paths_relative_to_each_including_file()
    {
        Write("compose.yaml", "include: [one/compose.yaml]\n");
        Write("one/compose.yaml", "include: [two/compose.yaml]\nservices:\n  one: {image: busybox, env_file: one.env}\n");
        Write("one/two/compose.yaml", "services:\n  two: {image: busybox, env_file: two.env}\n");

        var services = Document()["services"]!;

        Assert.Equal(Path.Combine(_root, "one", "one.env"), services["one"]!["env_file"]!.GetValue<string>());
        Assert.Equal(Path.Combine(_root, "one", "two", "two.env"), services["two"]!["env_file"]!.GetValue<string>());
    }

    [Fact]
    public void An_include_cycle_is_an_error()
    {
        var main = Write("compose.yaml", "include: [a.yaml]\n");
        var a = Write("a.yaml", "include: [b.yaml]\n");
        var b = Write("b.yaml", "include: [a.yaml]\n");

        Assert.Equal($"include cycle detected: {main} -> {a} -> {b} -> {a}", Error());
    }

    [Fact]
    public void A_missing_included_file_is_an_error()
    {
        Write("compose.yaml", "include: [missing.yaml]\n");

        Assert.Equal($"open {Path.Combine(_root, "missing.yaml")}: no such file or directory", Error());
    }

    [Fact]
    public void An_included_service_may_be_extended_and_depended_on_by_the_including_project()
    {
        Write("compose.yaml", """
            include: [lib/compose.yaml]
            services:
              web:
                extends: base
                depends_on: [base]
            """);
        Write("lib/compose.yaml", "services:\n  base:\n    image: busybox\n    volumes: [./data:/data]\n");

        var project = ProjectLoader.Load(Options());

        Assert.Equal(["web", "base"], project.Services.Keys);
        Assert.Equal(Path.Combine(_root, "lib", "data"), project.Services["web"].Volumes.Single().Source);
        Assert.Equal(["base"], project.Services["web"].DependsOn.Keys);
    }
}
