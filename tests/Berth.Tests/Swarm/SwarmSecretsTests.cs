using System.Text;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Swarm;
using Berth.Oci.Errors;
using Berth.Oci.Native;

namespace Berth.Tests.Swarm;

public sealed class SwarmSecretsTests
{
    private static JsonObject Json(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static string Data(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Rejection(Action action) => Assert.Throws<BerthException>(action).Message;

    [Fact]
    public void A_spec_keeps_swarms_members_with_labels_always_present()
    {
        var spec = SwarmSecrets.Normalize(SwarmObjectKind.Secret,
            Json($$"""{"name":"db.password","data":"{{Data("pw")}}","Templating":{"Name":""},"Unknown":1}"""));
        Assert.Equal($$$"""{"Name":"db.password","Labels":{},"Data":"{{{Data("pw")}}}","Templating":{}}""", spec.ToJsonString());
        var config = SwarmSecrets.Normalize(SwarmObjectKind.Config,
            Json($$$"""{"Name":"c","Data":"{{{Data("x")}}}","Labels":{"a":"b"},"Driver":{"Name":"ignored"},"Templating":{"Name":"golang"}}"""));
        Assert.Equal($$$"""{"Name":"c","Labels":{"a":"b"},"Data":"{{{Data("x")}}}","Templating":{"Name":"golang"}}""", config.ToJsonString());
    }

    [Theory]
    [InlineData("", "rpc error: code = InvalidArgument desc = name must be provided")]
    [InlineData("bad name", "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]")]
    [InlineData("-x", "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]")]
    public void Names_are_checked_with_swarmkits_words(string name, string message)
    {
        Assert.Equal(message, Rejection(() => SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json($$"""{"Name":"{{name}}","Data":"aGk="}"""))));
        Assert.Equal(new string('a', 64), SwarmSecrets.NameOf(new SwarmSecret
        {
            Spec = SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json($$"""{"Name":"{{new string('a', 64)}}","Data":"aGk="}""")),
        }));
    }

    [Fact]
    public void Data_must_be_present_and_under_each_kinds_limit()
    {
        Assert.Equal("rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes",
            Rejection(() => SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json("""{"Name":"s"}"""))));
        string big = Convert.ToBase64String(new byte[512000]);
        Assert.Contains("less than 512000 bytes", Rejection(() => SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json($$"""{"Name":"s","Data":"{{big}}"}"""))));
        Assert.NotNull(SwarmSecrets.Normalize(SwarmObjectKind.Config, Json($$"""{"Name":"s","Data":"{{big}}"}""")));
        Assert.Equal("rpc error: code = InvalidArgument desc = config data must be larger than 0 and less than 1024000 bytes",
            Rejection(() => SwarmSecrets.Normalize(SwarmObjectKind.Config, Json($$"""{"Name":"s","Data":"{{Convert.ToBase64String(new byte[1024000])}}"}"""))));
        Assert.Equal("illegal base64 data at input byte 0", Rejection(() => SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json("""{"Name":"s","Data":"!!!"}"""))));
    }

    [Fact]
    public void Secret_drivers_are_refused()
    {
        Assert.Equal("rpc error: code = InvalidArgument desc = secret driver must have a name",
            Rejection(() => SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json("""{"Name":"s","Driver":{"Name":""}}"""))));
        var external = Assert.Throws<BerthException>(() => SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json("""{"Name":"s","Driver":{"Name":"vault"}}""")));
        Assert.Equal(ErrorKind.NotImplemented, external.Kind);
    }

    [Fact]
    public void Updates_change_labels_only_and_may_send_the_same_data_back()
    {
        var current = SwarmSecrets.Normalize(SwarmObjectKind.Secret, Json($$"""{"Name":"s","Data":"{{Data("one")}}"}"""));
        var updated = SwarmSecrets.Update(current, Json($$$"""{"Name":"s","Data":"{{{Data("one")}}}","Labels":{"k":"v"}}"""));
        Assert.Equal("v", updated["Labels"]!["k"]!.GetValue<string>());
        Assert.Equal(Data("one"), updated["Data"]!.GetValue<string>());
        const string LabelsOnly = "rpc error: code = InvalidArgument desc = only updates to Labels are allowed";
        Assert.Equal(LabelsOnly, Rejection(() => SwarmSecrets.Update(current, Json($$"""{"Name":"s","Data":"{{Data("two")}}"}"""))));
        Assert.Equal(LabelsOnly, Rejection(() => SwarmSecrets.Update(current, Json("""{"Name":"t"}"""))));
        Assert.Equal(LabelsOnly, Rejection(() => SwarmSecrets.Update(current, Json("""{"Labels":{}}"""))));
    }

    [Fact]
    public void A_secrets_data_is_never_in_its_view_and_a_configs_is()
    {
        var stored = new SwarmSecret { ID = "i", Spec = Json("""{"Name":"s","Labels":{},"Data":"aGk="}""") };
        Assert.Null(SwarmSecrets.View(SwarmObjectKind.Secret, stored).Spec["Data"]);
        Assert.NotNull(stored.Spec["Data"]);
        Assert.Equal("aGk=", SwarmSecrets.View(SwarmObjectKind.Config, stored).Spec["Data"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"Secrets":[{"SecretID":"i","SecretName":""}]}""", "rpc error: code = InvalidArgument desc = malformed secret reference")]
    [InlineData("""{"Secrets":[{"SecretID":"i","SecretName":"s"}]}""", "rpc error: code = InvalidArgument desc = malformed secret reference, no target provided")]
    [InlineData("""{"Secrets":[{"File":{"Name":""},"SecretID":"i","SecretName":"s"}]}""", "rpc error: code = InvalidArgument desc = malformed file secret reference, invalid target file name provided")]
    [InlineData("""{"Secrets":[{"File":{"Name":"x"},"SecretID":"i","SecretName":"a"},{"File":{"Name":"x"},"SecretID":"j","SecretName":"b"}]}""", "rpc error: code = InvalidArgument desc = secret references 'a' and 'b' have a conflicting target: 'x'")]
    [InlineData("""{"Configs":[{"ConfigID":"i","ConfigName":"c"}]}""", "invalid Config: either File or Runtime should be set")]
    [InlineData("""{"Configs":[{"File":{"Name":"x"},"ConfigID":"","ConfigName":"c"}]}""", "rpc error: code = InvalidArgument desc = malformed config reference")]
    public void Malformed_references_are_refused_as_swarmkit_words_it(string containerSpec, string message)
    {
        var spec = Json(containerSpec);
        Assert.Equal(message, Rejection(() =>
        {
            SecretReferences.Read(SwarmObjectKind.Secret, spec);
            SecretReferences.Read(SwarmObjectKind.Config, spec);
        }));
    }

    [Fact]
    public void Targets_resolve_under_run_secrets_for_secrets_and_the_root_for_configs()
    {
        Assert.Equal("/run/secrets/token", SecretReferences.ContainerPath(SwarmObjectKind.Secret, "token"));
        Assert.Equal("/etc/token", SecretReferences.ContainerPath(SwarmObjectKind.Secret, "/etc/token"));
        Assert.Equal("/run/x", SecretReferences.ContainerPath(SwarmObjectKind.Secret, "../x"));
        Assert.Equal("/app.conf", SecretReferences.ContainerPath(SwarmObjectKind.Config, "app.conf"));
        Assert.Equal("/etc/app.conf", SecretReferences.ContainerPath(SwarmObjectKind.Config, "/etc/app.conf"));
    }

    [Fact]
    public void The_store_keeps_secret_data_readable_by_root_only_and_task_files_get_the_references_owner_and_mode()
    {
        string root = Path.Combine(Path.GetTempPath(), "swarm-secrets-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new SwarmStore(root);
            store.Create(new SwarmCluster { ID = "c" }, new SwarmNode { ID = "n" });
            store.AddSecret(SwarmObjectKind.Secret, new SwarmSecret { ID = "s1", Spec = Json($$"""{"Name":"pw","Labels":{},"Data":"{{Data("hunter2")}}"}""") });
            store.AddSecret(SwarmObjectKind.Config, new SwarmSecret { ID = "c1", Spec = Json($$"""{"Name":"conf","Labels":{},"Data":"{{Data("k=v")}}"}""") });
            var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(root, "secrets")));
            Assert.Equal(owner, File.GetUnixFileMode(Path.Combine(root, "secrets", "s1.json")));
            Assert.Equal(Data("hunter2"), new SwarmStore(root).TryGetSecret(SwarmObjectKind.Secret, "s1")!.Spec["Data"]!.GetValue<string>());

            string uid = PosixFiles.EffectiveUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var task = new SwarmTask
            {
                ID = "t1",
                Spec = Json($$$"""
                    {"ContainerSpec":{"Image":"busybox",
                      "Secrets":[{"File":{"Name":"pw","UID":"{{{uid}}}","GID":"0","Mode":256},"SecretID":"s1","SecretName":"pw"}],
                      "Configs":[{"File":{"Name":"/etc/app.conf","UID":"{{{uid}}}","GID":"0","Mode":420},"ConfigID":"c1","ConfigName":"conf"}]}}
                    """),
            };
            var source = new TaskSecretSource(store.Root, store.TryGetSecret);
            Assert.Null(TaskSecretFiles.Write(source, new SwarmTask { ID = "t0", Spec = Json("""{"ContainerSpec":{"Image":"busybox"}}""") }, null));
            var mounts = TaskSecretFiles.Write(source, task, null)!;
            Assert.Equal(["/run/secrets/pw", "/etc/app.conf"], mounts.Select(m => m.Target));
            Assert.All(mounts, m => Assert.True(m.ReadOnly && m.Type == "bind"));
            Assert.Equal("hunter2", File.ReadAllText(mounts[0].Source!));
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(mounts[0].Source!));
            Assert.Equal("k=v", File.ReadAllText(mounts[1].Source!));
            TaskSecretFiles.Remove(store.Root, task.ID);
            Assert.False(File.Exists(mounts[0].Source));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
