using DotNet.Testcontainers.Configurations;

namespace Berth.IntegrationTests.Testcontainers;

/// <summary>The Testcontainers settings every test class here runs with.</summary>
internal static class TestcontainersDefaults
{
    /// <summary>
    /// No resource reaper: it is a container of an image from Docker Hub, which these machines cannot reach; the
    /// daemon fixture removes what the tests leave.
    /// </summary>
    public static void Apply() => TestcontainersSettings.ResourceReaperEnabled = false;
}
