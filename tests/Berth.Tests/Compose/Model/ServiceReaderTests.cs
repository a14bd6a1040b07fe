using Berth.Compose.Model;

namespace Berth.Tests.Compose.Model;

public sealed class ServiceReaderTests
{
    [Fact]
    public void A_string_build_is_an_absolute_context()
    {
        var web = RawProject.Web("""{"build": "./api"}""");
        Assert.Equal("/srv/app/api", web.Build!.Context);
        Assert.Null(web.Build.Dockerfile);
        Assert.Null(web.Image);
    }

    [Fact]
    public void Long_build_is_read_with_defaults()
    {
        var web = RawProject.Web("""
            {"build": {"dockerfile": "Dockerfile.dev", "args": ["A=1", "FROM_SHELL", "MISSING"], "labels": {"l": "v"},
                       "target": "dev", "network": "host", "cache_from": ["c"], "extra_hosts": ["h=1.2.3.4"],
                       "tags": ["t:1"], "no_cache": "true", "pull": "on", "shm_size": "1g"}}
            """, variables: new Dictionary<string, string> { ["FROM_SHELL"] = "s" });
        var build = web.Build!;
        Assert.Equal("/srv/app", build.Context);
        Assert.Equal("Dockerfile.dev", build.Dockerfile);
        Assert.Equal("1", build.Args["A"]);
        Assert.Equal("s", build.Args["FROM_SHELL"]);
        Assert.Null(build.Args["MISSING"]);
        Assert.Equal("v", build.Labels["l"]);
        Assert.Equal(("dev", "host"), (build.Target, build.Network));
        Assert.Equal(["c"], build.CacheFrom);
        Assert.Equal(["h:1.2.3.4"], build.ExtraHosts);
        Assert.Equal(["t:1"], build.Tags);
        Assert.True(build.NoCache && build.Pull);
        Assert.Equal(1L << 30, build.ShmSize);
    }

    [Theory]
    [InlineData("https://github.com/x/y.git#main")]
    [InlineData("git@github.com:x/y.git")]
    public void Url_contexts_are_kept(string url) =>
        Assert.Equal(url, RawProject.Web("{\"build\": {\"context\": \"" + url + "\"}}").Build!.Context);

    [Fact]
    public void Neither_image_nor_build_is_an_error() =>
        Assert.Equal("service \"web\" has neither an image nor a build context specified: invalid compose project",
            RawProject.WebError("""{"command": "true"}"""));

    [Fact]
    public void An_empty_service_is_an_error() =>
        Assert.Contains("neither an image nor a build context", RawProject.Error("""{"services": {"web": null}}"""));

    [Fact]
    public void String_commands_are_split_and_lists_kept()
    {
        var web = RawProject.Web("""{"image": "x", "command": "sh -c 'echo hi'", "entrypoint": ["/init", "--"]}""");
        Assert.Equal(["sh", "-c", "echo hi"], web.Command);
        Assert.Equal(["/init", "--"], web.Entrypoint);
    }

    [Fact]
    public void An_empty_entrypoint_list_resets_and_an_absent_one_is_null()
    {
        var web = RawProject.Web("""{"image": "x", "entrypoint": []}""");
        Assert.NotNull(web.Entrypoint);
        Assert.Empty(web.Entrypoint);
        Assert.Null(web.Command);
    }

    [Fact]
    public void Environment_list_resolves_bare_names_from_the_lookup()
    {
        var web = RawProject.Web("""{"image": "x", "environment": ["A=1", "B=", "C", "D", "E=x=y"]}""",
            variables: new Dictionary<string, string> { ["C"] = "from-shell" });
        Assert.Equal("1", web.Environment["A"]);
        Assert.Equal("", web.Environment["B"]);
        Assert.Equal("from-shell", web.Environment["C"]);
        Assert.Null(web.Environment["D"]);
        Assert.Equal("x=y", web.Environment["E"]);
    }

    [Fact]
    public void Environment_map_null_values_come_from_the_lookup()
    {
        var web = RawProject.Web("""{"image": "x", "environment": {"A": "1", "B": null, "C": null}}""",
            variables: new Dictionary<string, string> { ["B"] = "b" });
        Assert.Equal(["A", "B", "C"], web.Environment.Keys);
        Assert.Equal("b", web.Environment["B"]);
        Assert.Null(web.Environment["C"]);
    }

    [Fact]
    public void Labels_and_sysctls_accept_lists_and_maps()
    {
        var web = RawProject.Web("""
            {"image": "x", "labels": ["a=1", "b"], "sysctls": {"net.core.somaxconn": "1024"}}
            """);
        Assert.Equal("1", web.Labels["a"]);
        Assert.Equal("", web.Labels["b"]);
        Assert.Equal("1024", web.Sysctls["net.core.somaxconn"]);
    }

    [Fact]
    public void Booleans_accept_yaml_1_1_forms()
    {
        var web = RawProject.Web("""
            {"image": "x", "init": "yes", "privileged": "True", "read_only": "on", "tty": "y", "stdin_open": "off"}
            """);
        Assert.True(web.Init);
        Assert.True(web.Privileged && web.ReadOnly && web.Tty);
        Assert.False(web.StdinOpen);
    }

    [Fact]
    public void A_bad_boolean_names_the_field() =>
        Assert.Equal("services.web.privileged: invalid boolean \"maybe\"",
            RawProject.WebError("""{"image": "x", "privileged": "maybe"}"""));

    [Fact]
    public void A_bad_size_names_the_field() =>
        Assert.Equal("services.web.mem_limit: invalid size \"12q\"",
            RawProject.WebError("""{"image": "x", "mem_limit": "12q"}"""));

    [Fact]
    public void Resources_come_from_the_service_or_from_deploy()
    {
        var direct = RawProject.Web("""
            {"image": "x", "mem_limit": "256m", "memswap_limit": "1g", "mem_reservation": "128m", "cpus": "1.5",
             "cpu_shares": "512", "cpuset": "0-1", "pids_limit": "100", "shm_size": "64m", "scale": "2",
             "deploy": {"resources": {"limits": {"memory": "1g", "cpus": "4"}}}}
            """);
        Assert.Equal(256L << 20, direct.MemLimit);
        Assert.Equal(1L << 30, direct.MemswapLimit);
        Assert.Equal(128L << 20, direct.MemReservation);
        Assert.Equal(1.5, direct.Cpus);
        Assert.Equal(512, direct.CpuShares);
        Assert.Equal("0-1", direct.Cpuset);
        Assert.Equal(100, direct.PidsLimit);
        Assert.Equal(64L << 20, direct.ShmSize);
        Assert.Equal(2, direct.Scale);

        var deployed = RawProject.Web("""
            {"image": "x", "deploy": {"replicas": "3", "resources": {"limits": {"memory": "1g", "cpus": "0.5", "pids": "7"},
                                                             "reservations": {"memory": "64m"}}}}
            """);
        Assert.Equal(1L << 30, deployed.MemLimit);
        Assert.Equal(0.5, deployed.Cpus);
        Assert.Equal(7, deployed.PidsLimit);
        Assert.Equal(64L << 20, deployed.MemReservation);
        Assert.Equal(3, deployed.Scale);
    }

    [Fact]
    public void Unlimited_swap_is_minus_one() =>
        Assert.Equal(-1, RawProject.Web("""{"image": "x", "mem_limit": "1g", "memswap_limit": "-1"}""").MemswapLimit);

    [Fact]
    public void Different_scale_and_replicas_are_refused() =>
        Assert.Contains("can't set distinct values on 'scale' and 'deploy.replicas'",
            RawProject.WebError("""{"image": "x", "scale": "2", "deploy": {"replicas": "3"}}"""));

    [Fact]
    public void Healthcheck_string_test_runs_in_a_shell()
    {
        var health = RawProject.Web("""
            {"image": "x", "healthcheck": {"test": "curl -f localhost", "interval": "10s", "timeout": "1m30s",
                                          "start_period": "5s", "start_interval": "500ms", "retries": "3"}}
            """).HealthCheck!;
        Assert.Equal(["CMD-SHELL", "curl -f localhost"], health.Test);
        Assert.Equal(TimeSpan.FromSeconds(10), health.Interval);
        Assert.Equal(TimeSpan.FromSeconds(90), health.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), health.StartPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(500), health.StartInterval);
        Assert.Equal(3, health.Retries);
        Assert.False(health.Disable);
    }

    [Fact]
    public void Healthcheck_list_is_kept_and_disable_means_none()
    {
        Assert.Equal(["CMD", "pg_isready"],
            RawProject.Web("""{"image": "x", "healthcheck": {"test": ["CMD", "pg_isready"]}}""").HealthCheck!.Test);
        var disabled = RawProject.Web("""{"image": "x", "healthcheck": {"disable": "true"}}""").HealthCheck!;
        Assert.Equal(["NONE"], disabled.Test);
        Assert.True(disabled.Disable);
    }

    [Fact]
    public void A_bad_duration_names_the_field() =>
        Assert.Equal("services.web.healthcheck.interval: invalid duration \"10\"",
            RawProject.WebError("""{"image": "x", "healthcheck": {"interval": "10"}}"""));

    [Fact]
    public void Stop_settings_and_restart_are_read()
    {
        var web = RawProject.Web("""
            {"image": "x", "stop_grace_period": "1m", "stop_signal": "SIGINT", "restart": "on-failure:3"}
            """);
        Assert.Equal(TimeSpan.FromMinutes(1), web.StopGracePeriod);
        Assert.Equal("SIGINT", web.StopSignal);
        Assert.Equal("on-failure:3", web.Restart);
        Assert.Contains("invalid restart policy", RawProject.WebError("""{"image": "x", "restart": "sometimes"}"""));
    }

    [Fact]
    public void Ulimits_take_one_number_or_soft_and_hard()
    {
        var web = RawProject.Web("""
            {"image": "x", "ulimits": {"nproc": "65535", "nofile": {"soft": "1024", "hard": "4096"}}}
            """);
        Assert.Equal(new Ulimit(65535, 65535), web.Ulimits["nproc"]);
        Assert.Equal(new Ulimit(1024, 4096), web.Ulimits["nofile"]);
    }

    [Fact]
    public void Extra_hosts_become_host_colon_ip()
    {
        Assert.Equal(["a:1.2.3.4", "b:::1", "c:5.6.7.8"],
            RawProject.Web("""{"image": "x", "extra_hosts": ["a:1.2.3.4", "b=::1", "c=5.6.7.8"]}""").ExtraHosts);
        Assert.Equal(["a:1.2.3.4", "b:::1", "b:10.0.0.1"],
            RawProject.Web("""{"image": "x", "extra_hosts": {"a": "1.2.3.4", "b": ["::1", "10.0.0.1"]}}""").ExtraHosts);
    }

    [Fact]
    public void Strings_or_lists_are_both_accepted()
    {
        var web = RawProject.Web("""
            {"image": "x", "dns": "8.8.8.8", "dns_search": ["a.local"], "dns_opt": ["ndots:2"], "tmpfs": "/run",
             "cap_add": ["NET_ADMIN"], "cap_drop": ["ALL"], "security_opt": ["no-new-privileges"], "group_add": ["audio"],
             "devices": ["/dev/fuse"], "links": ["db:database"], "volumes_from": ["other"]}
            """);
        Assert.Equal(["8.8.8.8"], web.Dns);
        Assert.Equal(["a.local"], web.DnsSearch);
        Assert.Equal(["ndots:2"], web.DnsOpt);
        Assert.Equal(["/run"], web.Tmpfs);
        Assert.Equal(["NET_ADMIN"], web.CapAdd);
        Assert.Equal(["ALL"], web.CapDrop);
        Assert.Equal(["no-new-privileges"], web.SecurityOpt);
        Assert.Equal(["audio"], web.GroupAdd);
        Assert.Equal(["/dev/fuse"], web.Devices);
        Assert.Equal(["db:database"], web.Links);
        Assert.Equal(["other"], web.VolumesFrom);
    }

    [Fact]
    public void Plain_settings_are_carried_over()
    {
        var web = RawProject.Web("""
            {"image": "nginx:1", "container_name": "front", "hostname": "h", "domainname": "d", "user": "1000:1000",
             "working_dir": "/app", "platform": "linux/amd64", "ipc": "shareable", "pid": "host", "mac_address": "02:42:ac:11:00:02",
             "pull_policy": "always", "oom_kill_disable": "false", "oom_score_adj": "-500",
             "logging": {"driver": "json-file", "options": {"max-size": "10m"}}}
            """);
        Assert.Equal(("nginx:1", "front", "h", "d"), (web.Image, web.ContainerName, web.Hostname, web.Domainname));
        Assert.Equal(("1000:1000", "/app", "linux/amd64"), (web.User, web.WorkingDir, web.Platform));
        Assert.Equal(("shareable", "host", "02:42:ac:11:00:02"), (web.Ipc, web.Pid, web.MacAddress));
        Assert.Equal("always", web.PullPolicy);
        Assert.False(web.OomKillDisable);
        Assert.Equal(-500, web.OomScoreAdj);
        Assert.Equal("json-file", web.Logging!.Driver);
        Assert.Equal("10m", web.Logging.Options["max-size"]);
    }

    [Fact]
    public void Unknown_service_keys_are_refused_but_extensions_allowed()
    {
        Assert.Equal("services.web Additional property foo is not allowed",
            RawProject.WebError("""{"image": "x", "foo": "bar"}"""));
        Assert.Equal("x", RawProject.Web("""{"image": "x", "x-meta": {"any": "thing"}}""").Image);
    }

    [Fact]
    public void Unknown_build_keys_are_refused() =>
        Assert.Equal("services.web.build Additional property dockerfil is not allowed",
            RawProject.WebError("""{"build": {"dockerfil": "x"}}"""));
}
