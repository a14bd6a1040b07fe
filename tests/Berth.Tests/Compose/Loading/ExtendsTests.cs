using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

public sealed class ExtendsTests() : ComposeFileTests("berth-compose-extends-")
{
    private ProjectOptions Options(Dictionary<string, string>? shell = null) => Options(_root, shell);

    private JsonObject Services(Dictionary<string, string>? shell = null) =>
        ProjectLoader.LoadDocument(Options(shell)).Document["services"]!.AsObject();

    private string Error() => Assert.Throws<ComposeException>(() => ProjectLoader.LoadDocument(Options())).Message;

    [Fact]
    public void Extends_a_service_of_the_same_file_with_the_extending_service_winning()
    {
        Write("compose.yaml", """
            services:
              base:
                image: busybox
                command: sleep 1
                environment: {A: base, B: base}
                ports: ["80:80"]
                depends_on: [db]
              web:
                extends: base
                command: sleep 2
                environment: {B: web}
                ports: ["81:81"]
              db:
                image: postgres
            """);

        var web = Services()["web"]!;

        Assert.Equal("""
            {"image":"busybox","command":"sleep 2","environment":{"A":"base","B":"web"},"ports":["80:80","81:81"],"depends_on":["db"]}
            """, web.ToJsonString());
    }

    [Fact]
    public void Extends_a_service_of_another_file_with_its_relative_paths_made_absolute()
    {
        Write("compose.yaml", """
            services:
              web:
                extends: {file: common/base.yaml, service: app}
                volumes: ["./mine:/mine"]
            """);
        Write("common/base.yaml", """
            services:
              app:
                image: "busybox:${TAG}"
                build: {dockerfile: Dockerfile.dev}
                env_file: [app.env, {path: ./optional.env, required: false}]
                volumes: ["./data:/data:ro", "named:/named", {type: bind, source: ../shared, target: /shared}]
                links: [db]
                volumes_from: [db]
            """);

        var web = Services(new() { ["TAG"] = "1.36" })["web"]!.AsObject();

        var common = Path.Combine(_root, "common");
        Assert.Equal("busybox:1.36", web["image"]!.GetValue<string>());
        Assert.Equal(common, web["build"]!["context"]!.GetValue<string>());
        Assert.Equal("Dockerfile.dev", web["build"]!["dockerfile"]!.GetValue<string>());
        Assert.Equal(Path.Combine(common, "app.env"), web["env_file"]![0]!.GetValue<string>());
        Assert.Equal(Path.Combine(common, "optional.env"), web["env_file"]![1]!["path"]!.GetValue<string>());
        Assert.Equal(
            [$"{common}/data:/data:ro", "named:/named", $"{Path.Combine(_root, "shared")}", "./mine:/mine"],
            web["volumes"]!.AsArray().Select(v => v is JsonObject bind ? bind["source"]!.GetValue<string>() : v!.GetValue<string>()));
        Assert.Equal("""["db"]""", web["links"]!.ToJsonString());
        Assert.Equal("""["db"]""", web["volumes_from"]!.ToJsonString());
        Assert.False(web.ContainsKey("extends"));
    }

    [Fact]
    public void Extends_a_chain_across_files()
    {
        Write("compose.yaml", """
            services:
              web:
                extends: {file: one/middle.yaml, service: middle}
                labels: {level: web}
            """);
        Write("one/middle.yaml", """
            services:
              middle:
                extends: {file: two/root.yaml, service: root}
                build: .
                labels: {level: middle, middle: "yes"}
            """);
        Write("one/two/root.yaml", """
            services:
              root:
                image: busybox
                env_file: root.env
                labels: {level: root, root: "yes"}
            """);

        var web = Services()["web"]!.AsObject();

        Assert.Equal("busybox", web["image"]!.GetValue<string>());
        Assert.Equal(Path.Combine(_root, "one"), web["build"]!.GetValue<string>());
        Assert.Equal(Path.Combine(_root, "one", "two", "root.env"), web["env_file"]!.GetValue<string>());
        Assert.Equal("""{"level":"web","root":"yes","middle":"yes"}""", web["labels"]!.ToJsonString());
    }

    [Fact]
    public void The_base_service_stays_in_the_project_unchanged()
    {
        Write("compose.yaml", """
            services:
              base: {image: busybox, command: a}
              web: {extends: base, command: b}
            """);

        var services = Services();

        Assert.Equal("""{"image":"busybox","command":"a"}""", services["base"]!.ToJsonString());
        Assert.Equal("""{"image":"busybox","command":"b"}""", services["web"]!.ToJsonString());
    }

    [Fact]
    public void A_cycle_is_an_error_naming_the_chain()
    {
        var file = Write("compose.yaml", """
            services:
              web: {extends: api}
              api: {extends: {service: web}}
            """);

        Assert.Equal(
            $"circular reference with extends: service \"web\" in {file} -> service \"api\" in {file} -> service \"web\" in {file}",
            Error());
    }

    [Fact]
    public void An_unknown_base_is_an_error_naming_the_file()
    {
        Write("compose.yaml", "services:\n  web:\n    extends: {file: other.yaml, service: base}\n");
        var other = Write("other.yaml", "services:\n  app: {image: busybox}\n");

        Assert.Equal($"cannot extend service \"web\" in {other}: service \"base\" not found", Error());
    }

    [Fact]
    public void A_missing_file_is_an_error()
    {
        Write("compose.yaml", "services:\n  web:\n    extends: {file: nowhere.yaml, service: base}\n");

        Assert.Equal($"open {Path.Combine(_root, "nowhere.yaml")}: no such file or directory", Error());
    }

    [Fact]
    public void A_service_of_a_later_file_may_extend_one_of_an_earlier_file()
    {
        Write("compose.yaml", "services:\n  base: {image: busybox, command: a}\n");
        Write("compose.override.yaml", "services:\n  web: {extends: base}\n  base: {command: b}\n");

        Assert.Equal("""{"image":"busybox","command":"b"}""", Services()["web"]!.ToJsonString());
    }

    [Fact]
    public void The_model_reads_an_extended_service()
    {
        Write("compose.yaml", "services:\n  web:\n    extends: {file: lib/base.yaml, service: base}\n");
        Write("lib/base.yaml", "services:\n  base:\n    image: busybox\n    volumes: [./data:/data]\n");

        var project = ProjectLoader.Load(Options());

        Assert.Equal(Path.Combine(_root, "lib", "data"), project.Services["web"].Volumes.Single().Source);
    }
}
