using Berth.Oci.Errors;
using Berth.Registry.Cli;

try
{
    return await CommandLine.RunAsync(args);
}
catch (BerthException e)
{
    Console.Error.WriteLine($"berth-registry: {e.Message}");
    return 2;
}
