using Berth.Registry.Configuration;

namespace Berth.Registry.Auth;

public static class AccessControllers
{
    public static IAccessController Create(RegistrySettings settings) => new OpenAccess();

    public static TokenEndpoint? CreateTokenEndpoint(RegistrySettings settings) => null;
}
