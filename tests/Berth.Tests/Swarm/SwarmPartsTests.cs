using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Swarm;

namespace Berth.Tests.Swarm;

public sealed class SwarmPartsTests
{
    [Fact]
    public void Ids_and_tokens_have_swarmkits_shapes()
    {
        Assert.Matches("^[0-9a-z]{25}$", SwarmIds.NewId());
        Assert.NotEqual(SwarmIds.NewId(), SwarmIds.NewId());
        byte[] ca = [1, 2, 3];
        string first = SwarmIds.NewJoinToken(ca), second = SwarmIds.NewJoinToken(ca);
        Assert.Matches("^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$", first);
        Assert.Equal(first[..59], second[..59]);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_task_becomes_a_container_config_as_swarms_executor_makes_it()
    {
        var task = new SwarmTask
        {
            ID = "t1", ServiceID = "s1", Slot = 2, NodeID = "n1",
            Spec = (JsonObject)JsonNode.Parse("""
                {"ContainerSpec":{"Image":"busybox","Command":["sh"],"Args":["-c","true"],"Env":["A=1"],"Dir":"/w","User":"nobody",
                  "Labels":{"x":"y"},"StopGracePeriod":3000000000,"Hosts":["10.0.0.9 db data"],"DNSConfig":{"Nameservers":["1.1.1.1"]},
                  "Mounts":[{"Type":"volume","Source":"v","Target":"/data"}],"ReadOnly":true,"Init":true},
                 "Resources":{"Limits":{"NanoCPUs":500000000,"MemoryBytes":1048576,"Pids":10}},
                 "LogDriver":{"Name":"json-file","Options":{"max-size":"1m"}}}
                """)!,
        };
        var (config, host) = TaskContainers.Build(task, "web", "web.2", "n1");
        Assert.Equal("web.2.t1", TaskContainers.ContainerName("web.2", task));
        Assert.Equal(["sh"], config.Entrypoint);
        Assert.Equal(["-c", "true"], config.Cmd);
        Assert.Equal(["A=1"], config.Env);
        Assert.Equal(("/w", "nobody", 3), (config.WorkingDir, config.User, config.StopTimeout));
        Assert.Equal("y", config.Labels!["x"]);
        Assert.Equal("s1", config.Labels[TaskContainers.ServiceIdLabel]);
        Assert.Equal("t1", config.Labels[TaskContainers.TaskIdLabel]);
        Assert.Equal("web.2.t1", config.Labels["com.docker.swarm.task.name"]);
        Assert.Equal(["db:10.0.0.9", "data:10.0.0.9"], host.ExtraHosts);
        Assert.Equal(["1.1.1.1"], host.Dns);
        Assert.Equal("/data", Assert.Single(host.Mounts!).Target);
        Assert.True(host.ReadonlyRootfs);
        Assert.True(host.Init);
        Assert.Equal((500000000L, 1048576L, 10L), (host.NanoCpus, host.Memory, host.PidsLimit!.Value));
        Assert.Equal("1m", host.LogConfig.Config!["max-size"]);
    }

    [Fact]
    public void The_store_keeps_objects_across_a_restart_and_versions_every_change()
    {
        string root = Path.Combine(Path.GetTempPath(), "swarm-store-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new SwarmStore(root);
            Assert.False(store.Active);
            store.Create(new SwarmCluster { ID = "c" }, new SwarmNode { ID = "n" });
            var service = store.AddService(new SwarmService { ID = "s", Spec = new JsonObject { ["Name"] = "web" } });
            var edited = store.EditService(service, s => s.Spec["Name"] = "web2");
            Assert.True(edited.Version.Index > service.Version.Index);
            Assert.Equal("web", service.Spec["Name"]!.GetValue<string>()); // published objects never change
            store.AddTask(new SwarmTask { ID = "t", ServiceID = "s" });

            var reloaded = new SwarmStore(root);
            Assert.True(reloaded.Active);
            Assert.Equal("web2", reloaded.TryGetService("s")!.Spec["Name"]!.GetValue<string>());
            Assert.NotNull(reloaded.TryGetTask("t"));
            var next = reloaded.EditTask("t", t => t.DesiredState = "shutdown")!;
            Assert.True(next.Version.Index > edited.Version.Index);

            reloaded.Erase();
            Assert.False(new SwarmStore(root).Active);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_cluster_spec_keeps_defaults_where_the_client_sent_zero()
    {
        var spec = ClusterSpecDefaults.Merge((JsonObject)JsonNode.Parse("""{"Orchestration":{"TaskHistoryRetentionLimit":0},"Dispatcher":{"HeartbeatPeriod":2000000000},"Labels":{"a":"b"}}""")!);
        Assert.Equal(5, spec["Orchestration"]!["TaskHistoryRetentionLimit"]!.GetValue<long>());
        Assert.Equal(2000000000, spec["Dispatcher"]!["HeartbeatPeriod"]!.GetValue<long>());
        Assert.Equal("b", spec["Labels"]!["a"]!.GetValue<string>());
        Assert.Equal("default", spec["Name"]!.GetValue<string>());
    }
}
