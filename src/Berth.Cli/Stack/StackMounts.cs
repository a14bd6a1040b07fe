using System.Text.Json.Nodes;
using Berth.Compose.Model;

namespace Berth.Cli.Stack;

/// <summary>
/// A service's volumes as a stack's ContainerSpec.Mounts, as `docker stack deploy` converts them: a named volume of the
/// file is stack_key (or its own name, or the external one's), created by the daemon when a task starts, with the
/// file's driver, options and labels and the stack's label; binds and tmpfs mounts as written.
/// </summary>
public static class StackMounts
{
    public static JsonArray Of(string stack, ComposeProject project, ServiceConfig service)
    {
        var mounts = new JsonArray();
        foreach (var volume in service.Volumes)
        {
            var mount = new JsonObject { ["Type"] = volume.Type, ["Target"] = volume.Target };
            if (volume.ReadOnly) mount["ReadOnly"] = true;
            switch (volume.Type)
            {
                case "volume":
                    Volume(stack, project, volume, mount);
                    break;
                case "bind":
                    mount["Source"] = volume.Source;
                    if (volume.BindPropagation is { Length: > 0 } propagation) mount["BindOptions"] = new JsonObject { ["Propagation"] = propagation };
                    break;
                case "tmpfs":
                    var options = new JsonObject();
                    if (volume.TmpfsSize is { } size) options["SizeBytes"] = size;
                    if (volume.TmpfsMode is { } mode) options["Mode"] = mode;
                    if (options.Count > 0) mount["TmpfsOptions"] = options;
                    break;
            }
            mounts.Add((JsonNode)mount);
        }
        return mounts;
    }

    private static void Volume(string stack, ComposeProject project, ServiceVolume volume, JsonObject mount)
    {
        var options = new JsonObject();
        if (volume.VolumeNoCopy) options["NoCopy"] = true;
        if (volume.Source is { Length: > 0 } source)
        {
            if (project.Volumes.TryGetValue(source, out var declared))
            {
                mount["Source"] = declared.Name;
                if (!declared.External)
                {
                    var labels = new JsonObject();
                    foreach (var (key, value) in declared.Labels.Concat(volume.VolumeLabels)) labels[key] = value;
                    labels[StackSpecs.NamespaceLabel] = stack;
                    options["Labels"] = labels;
                    if (declared.Driver is { Length: > 0 } || declared.DriverOpts.Count > 0)
                    {
                        var driverOptions = new JsonObject();
                        foreach (var (key, value) in declared.DriverOpts) driverOptions[key] = value;
                        options["DriverConfig"] = new JsonObject { ["Name"] = declared.Driver ?? "local", ["Options"] = driverOptions };
                    }
                }
            }
            else
            {
                mount["Source"] = source;
            }
        }
        if (options.Count > 0) mount["VolumeOptions"] = options;
    }
}
