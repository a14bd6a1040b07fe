using System.Globalization;
using System.Security.Cryptography;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>Compose v2's container names: <c>{project}-{service}-{n}</c>, or container_name; one-offs get a random suffix.</summary>
public static class ContainerNaming
{
    public static string ServiceContainer(string projectName, ServiceConfig service, int number)
        => service.ContainerName is { Length: > 0 } fixedName
            ? fixedName
            : $"{projectName}-{service.Name}-{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A one-off container of <c>run</c>: <c>{project}-{service}-run-{12 random hex}</c>.</summary>
    public static string OneOff(string projectName, string serviceName, string slug)
        => $"{projectName}-{serviceName}-run-{slug[..12]}";

    /// <summary>The random slug of a one-off container (64 hex), whose first 12 digits end its name.</summary>
    public static string NewSlug() => RandomNumberGenerator.GetHexString(64, lowercase: true);

    /// <summary>
    /// The numbers to give new containers so that the service has <paramref name="scale"/> of them: the lowest numbers
    /// not in use, so that names stay 1..n as users expect.
    /// </summary>
    public static List<int> NumbersToCreate(IEnumerable<int> existing, int scale)
    {
        var used = existing.ToHashSet();
        var result = new List<int>();
        for (int n = 1; used.Count + result.Count < scale; n++)
        {
            if (!used.Contains(n))
                result.Add(n);
        }
        return result;
    }

    /// <summary>The temporary name of a replacement container while the old one still holds the name.</summary>
    public static string Replacement(string oldId, string name) => $"{oldId[..Math.Min(12, oldId.Length)]}_{name}";
}
