using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Cli.Output;
using Berth.Client;
using Berth.GoText;

namespace Berth.Cli.Swarm;

/// <summary>docker's <c>service inspect --pretty</c> text, section by section.</summary>
public static class ServicePretty
{
    public static string Render(byte[] json)
    {
        var service = System.Text.Json.JsonSerializer.Deserialize(json, ApiJsonContext.Default.SwarmService) ?? new SwarmService();
        var spec = service.Spec;
        var task = spec.Obj("TaskTemplate");
        var container = task.Obj("ContainerSpec");
        var text = new StringBuilder();
        void Line(string line) => text.Append('\n').Append(line);

        Line($"ID:\t\t{service.ID}");
        Line($"Name:\t\t{spec.Str("Name")}");
        LabelLines(text, spec.Obj("Labels"), " ", "=");
        var mode = spec.Obj("Mode");
        if (mode?.ContainsKey("Global") == true)
            Line("Service Mode:\tGlobal");
        else if (mode?.ContainsKey("Replicated") == true)
        {
            Line("Service Mode:\tReplicated");
            if (mode.Obj("Replicated")?["Replicas"] is not null)
                Line($" Replicas:\t{mode.Obj("Replicated").Long("Replicas")}");
        }
        else
            Line("Service Mode:");
        if (service.UpdateStatus is { } status)
        {
            Line("UpdateStatus:");
            Line($" State:\t\t{status.State}");
            if (status.StartedAt.Length > 0)
                Line($" Started:\t{Ago(status.StartedAt)}");
            if (status.State == "completed" && status.CompletedAt is { Length: > 0 } completed)
                Line($" Completed:\t{Ago(completed)}");
            Line($" Message:\t{status.Message}");
        }
        Line("Placement:");
        var placement = task.Obj("Placement");
        if (SpecJson.Strings(placement?["Constraints"]) is { Count: > 0 } constraints)
            Line($" Constraints:\t[{string.Join(' ', constraints)}]");
        if (placement.Long("MaxReplicas") is > 0 and var maxReplicas)
            Line($" Max Replicas Per Node:   {maxReplicas}");
        UpdateConfigLines(text, spec.Obj("UpdateConfig"), "UpdateConfig", "Update order:      ");
        UpdateConfigLines(text, spec.Obj("RollbackConfig"), "RollbackConfig", "Rollback order:    ");
        Line("ContainerSpec:");
        Line($" Image:\t\t{container.Str("Image")}");
        if (SpecJson.Strings(container?["Args"]) is { Count: > 0 } args)
            Line(" Args:\t\t" + string.Concat(args.Select(a => a + " ")));
        if (SpecJson.Strings(container?["Env"]) is { Count: > 0 } env)
            Line(" Env:\t\t" + string.Concat(env.Select(a => a + " ")));
        if (container.Str("Dir") is { Length: > 0 } dir)
            Line($" Dir:\t\t{dir}");
        if (container?["Init"] is JsonValue)
            Line($" Init:\t\t{(container.Bool("Init") ? "true" : "false")}");
        if (container.Str("User") is { Length: > 0 } user)
            Line($" User: {user}");
        var capAdd = SpecJson.Strings(container?["CapabilityAdd"]);
        var capDrop = SpecJson.Strings(container?["CapabilityDrop"]);
        if (capAdd.Count + capDrop.Count > 0)
        {
            Line("Capabilities:");
            if (capAdd.Count > 0)
                Line($" Add: {string.Join(", ", capAdd)}");
            if (capDrop.Count > 0)
                Line($" Drop: {string.Join(", ", capDrop)}");
        }
        if (container.Arr("Mounts") is { Count: > 0 } mounts)
        {
            Line("Mounts:");
            foreach (var mount in mounts)
            {
                Line($" Target:\t{mount.Str("Target")}");
                Line($"  Source:\t{mount.Str("Source")}");
                Line($"  ReadOnly:\t{(mount.Bool("ReadOnly") ? "true" : "false")}");
                Line($"  Type:\t\t{mount.Str("Type")}");
            }
        }
        ReferenceLines(text, container.Arr("Configs"), "Configs", "ConfigName");
        ReferenceLines(text, container.Arr("Secrets"), "Secrets", "SecretName");
        if (task.Obj("LogDriver") is { } log)
        {
            Line("Log Driver:");
            if (log.Str("Name") is { Length: > 0 } logName)
                Line($" Name:\t\t{logName}");
            if (log.Obj("Options") is { Count: > 0 } options)
            {
                Line(" LogOpts:");
                foreach (var (key, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
                    Line($"  {key}" + (value?.GetValue<string>() is { Length: > 0 } v ? $":\t\t{v}" : ""));
            }
            text.Append('\n');
        }
        if (task.Obj("Resources") is { } resources)
        {
            Line("Resources:");
            ResourceLines(text, resources.Obj("Reservations"), " Reservations:");
            ResourceLines(text, resources.Obj("Limits"), " Limits:");
        }
        if (task.Obj("Resources").Obj("Limits").Long("Pids") is > 0 and var pids)
            Line($"  PIDs:\t\t{pids}");
        if (task.Arr("Networks") is { Count: > 0 } networks)
        {
            Line("Networks:");
            foreach (var network in networks)
                text.Append(' ').Append(network.Str("Target"));
            text.Append(' ');
        }
        Line($"Endpoint Mode:\t{spec.Obj("EndpointSpec").Str("Mode")}");
        if (spec.Obj("EndpointSpec").Arr("Ports") is { Count: > 0 } ports)
        {
            Line("Ports:");
            foreach (var port in ports)
            {
                Line($" PublishedPort = {port.Long("PublishedPort")}");
                Line($"  Protocol = {port.Str("Protocol")}");
                Line($"  TargetPort = {port.Long("TargetPort")}");
                Line($"  PublishMode = {port.Str("PublishMode")}");
            }
            text.Append(' ');
        }
        if (container.Obj("Healthcheck") is { } health)
        {
            Line(" Healthcheck:");
            Line($"  Interval = {Duration(health.Long("Interval"))}");
            Line($"  Retries = {health.Long("Retries")}");
            Line($"  StartPeriod =\t{Duration(health.Long("StartPeriod"))}");
            Line($"  Timeout =\t{Duration(health.Long("Timeout"))}");
            if (SpecJson.Strings(health["Test"]) is { Count: > 0 } tests)
            {
                Line("  Tests:");
                foreach (var test in tests)
                    Line($"\t Test = {test}");
                text.Append(' ');
            }
        }
        return text.Append('\n').ToString();
    }

    private static void LabelLines(StringBuilder text, JsonObject? labels, string indent, string separator)
    {
        if (labels is not { Count: > 0 })
            return;
        text.Append("\nLabels:");
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var v = value is JsonValue j && j.TryGetValue<string>(out var s) ? s : "";
            text.Append('\n').Append(indent).Append(key).Append(v.Length > 0 ? separator + v : "");
        }
    }

    private static void UpdateConfigLines(StringBuilder text, JsonObject? config, string title, string orderLabel)
    {
        if (config is null)
            return;
        text.Append($"\n{title}:");
        text.Append($"\n Parallelism:\t{config.Long("Parallelism")}");
        if (config.Long("Delay") > 0)
            text.Append($"\n Delay:\t\t{Duration(config.Long("Delay"))}");
        text.Append($"\n On failure:\t{config.Str("FailureAction")}");
        if (config.Long("Monitor") > 0)
            text.Append($"\n Monitoring Period: {Duration(config.Long("Monitor"))}");
        var ratio = config["MaxFailureRatio"] is JsonValue r && r.TryGetValue<double>(out var d) ? (float)d : 0f;
        text.Append($"\n Max failure ratio: {ratio.ToString("R", CultureInfo.InvariantCulture)}");
        text.Append($"\n {orderLabel}{config.Str("Order")}");
    }

    private static void ReferenceLines(StringBuilder text, JsonArray? references, string title, string nameKey)
    {
        if (references is not { Count: > 0 })
            return;
        text.Append($"\n{title}:");
        foreach (var reference in references)
        {
            text.Append($"\n Target:\t{reference.Obj("File").Str("Name")}");
            text.Append($"\n  Source:\t{reference.Str(nameKey)}");
        }
    }

    private static void ResourceLines(StringBuilder text, JsonObject? resources, string title)
    {
        var cpu = resources.Long("NanoCPUs");
        var memory = resources.Long("MemoryBytes");
        if (cpu <= 0 && memory <= 0)
            return;
        text.Append('\n').Append(title);
        if (cpu > 0)
            text.Append($"\n  CPU:\t\t{(cpu / 1e9).ToString("R", CultureInfo.InvariantCulture)}");
        if (memory > 0)
            text.Append($"\n  Memory:\t{HumanUnits.BytesSize(memory)}");
    }

    private static string Duration(long nanoseconds) => GoDuration.Format(TimeSpan.FromTicks(nanoseconds / 100));

    private static string Ago(string time)
        => DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var then)
            ? HumanDuration.Ago(then, DateTimeOffset.UtcNow) : time;
}
