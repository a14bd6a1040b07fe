using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>service scale SERVICE=REPLICAS...</c>: sets each replicated service's count, then waits for each unless -d.</summary>
public static class ServiceScaleCommand
{
    public static readonly CommandSpec Spec = new("scale", "SERVICE=REPLICAS [SERVICE=REPLICAS...]", "Scale one or multiple replicated services",
    [
        FlagSpec.Bool("detach", 'd', "Exit immediately instead of waiting for the service to converge"),
    ], ArgRule.AtLeast(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        foreach (var arg in flags.Positionals)
        {
            var eq = arg.IndexOf('=');
            if (eq <= 0 || eq == arg.Length - 1)
                throw new UsageException($"Invalid scale specifier '{arg}'.\nSee '{context.CommandPath} --help'.");
        }
        var errors = new List<string>();
        var scaled = new List<string>();
        foreach (var arg in flags.Positionals)
        {
            var eq = arg.IndexOf('=');
            var name = arg[..eq];
            var text = arg[(eq + 1)..];
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas))
            {
                errors.Add($"{name}: invalid replicas value {text}: strconv.ParseUint: parsing {Berth.GoText.GoQuote.Quote(text)}: invalid syntax");
                continue;
            }
            try
            {
                var service = await context.Client.InspectServiceAsync(name, context.Cancellation);
                var mode = service.Spec.Child("Mode");
                if (mode["Replicated"] is JsonObject replicated)
                    replicated["Replicas"] = replicas;
                else if (mode["ReplicatedJob"] is JsonObject job)
                    job["TotalCompletions"] = replicas;
                else
                {
                    errors.Add($"{name}: scale can only be used with replicated or replicated-job mode");
                    continue;
                }
                var response = await context.Client.UpdateServiceAsync(service.ID, service.Version.Index, service.Spec, null, false, context.Cancellation);
                foreach (var warning in response.Warnings ?? [])
                    context.Err.Write(warning + "\n");
                context.Out.Write($"{name} scaled to {replicas}\n");
                scaled.Add(name);
            }
            catch (EngineApiException e)
            {
                errors.Add($"{name}: Error response from daemon: {e.Message}");
            }
        }
        if (!flags.Bool("detach"))
        {
            foreach (var name in scaled)
            {
                try
                {
                    await ServiceWait.RunAsync(context, name, false);
                }
                catch (Exception e) when (e is CliException or EngineApiException)
                {
                    errors.Add($"{name}: {e.Message}");
                }
            }
        }
        if (errors.Count == 0)
            return 0;
        throw new CliException(string.Join('\n', errors));
    }
}
