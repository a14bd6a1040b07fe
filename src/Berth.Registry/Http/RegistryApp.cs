using System.Diagnostics;
using System.Text;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Registry.Auth;
using Berth.Registry.Distribution;
using Berth.Registry.Operations;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>
/// The whole HTTP surface in one request delegate: parse the path, authorize, dispatch to the endpoint, turn failures
/// into spec errors, then count and log. Hand routing keeps the hot path free of per-request allocations of a router.
/// </summary>
public sealed class RegistryApp
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();
    private static readonly byte[] Healthy = "{\"status\":\"ok\"}"u8.ToArray();

    private readonly RegistryServices _services;
    private readonly AccessLog? _accessLog;
    private readonly BlobEndpoints _blobs;
    private readonly UploadEndpoints _uploads;
    private readonly ManifestEndpoints _manifests;
    private readonly ListingEndpoints _listings;
    private readonly SearchEndpoint _search;
    private readonly TokenEndpoint? _token;

    public RegistryApp(RegistryServices services, AccessLog? accessLog, TokenEndpoint? token)
    {
        _services = services;
        _accessLog = accessLog;
        _token = token;
        _blobs = new BlobEndpoints(services);
        _uploads = new UploadEndpoints(services);
        _manifests = new ManifestEndpoints(services);
        _listings = new ListingEndpoints(services);
        _search = new SearchEndpoint(services);
    }

    public async Task HandleAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        var request = context.Request;
        string path = request.Path.Value ?? "/";
        var route = Route.Parse(path);
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        string? account = null;
        try
        {
            account = await DispatchAsync(context, route);
        }
        catch (BerthException e)
        {
            await ErrorResponder.WriteAsync(context, e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BadHttpRequestException e)
        {
            await ErrorResponder.WriteAsync(context, e.StatusCode, ErrorCode.BlobUploadInvalid, e.Message);
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"berth-registry: {request.Method} {path}: {e}");
            await ErrorResponder.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCode.Unknown, "internal error: " + e.Message);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            int status = context.Response.StatusCode;
            _services.Metrics.Observe(route.Kind, request.Method, status, elapsed);
            _accessLog?.Write(new AccessLog.Entry(DateTimeOffset.UtcNow, context.Connection.RemoteIpAddress?.ToString() ?? "", request.Method,
                path + request.QueryString.Value, status, context.Response.ContentLength, elapsed.TotalMilliseconds, account,
                request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null));
        }
    }

    private async Task<string?> DispatchAsync(HttpContext context, Route route)
    {
        string method = context.Request.Method;
        bool read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        switch (route.Kind)
        {
            case RouteKind.Health:
                if (!read) throw MethodNotAllowed(method);
                await Responses.WriteAsync(context.Response, 200, "application/json", Healthy);
                return null;
            case RouteKind.Metrics:
                if (!read || !_services.Settings.Metrics) throw NotFound(context);
                await Responses.WriteAsync(context.Response, 200, "text/plain; version=0.0.4; charset=utf-8",
                    Encoding.UTF8.GetBytes(_services.Metrics.Render(_services.Storage.Uploads.OpenCount)));
                return null;
            case RouteKind.Token:
                if (_token is null) throw NotFound(context);
                await _token.HandleAsync(context);
                return null;
            case RouteKind.Base:
            {
                if (!read) throw MethodNotAllowed(method);
                var grant = await _services.Access.AuthorizeAsync(context, []);
                await Responses.WriteAsync(context.Response, 200, "application/json", EmptyObject);
                return grant.Account;
            }
            case RouteKind.Catalog:
            {
                if (!read) throw MethodNotAllowed(method);
                var grant = await _services.Access.AuthorizeAsync(context, [AccessRequest.Catalog]);
                await _listings.CatalogAsync(context);
                return grant.Account;
            }
            case RouteKind.Search:
            {
                if (!read) throw MethodNotAllowed(method);
                var grant = await _services.Access.AuthorizeAsync(context, [AccessRequest.Search]);
                await _search.SearchAsync(context);
                return grant.Account;
            }
            case RouteKind.NotFound:
                throw NotFound(context);
        }

        string name = Names.Repository(route.Name);
        string[] actions = route.Kind switch
        {
            _ when read && route.Kind is not RouteKind.Upload => ["pull"],
            _ when HttpMethods.IsDelete(method) && route.Kind is RouteKind.Manifest or RouteKind.Blob => ["delete"],
            _ => ["pull", "push"],
        };
        var granted = await _services.Access.AuthorizeAsync(context, [AccessRequest.Repository(name, actions)]);

        switch (route.Kind)
        {
            case RouteKind.Tags when read:
                await _listings.TagsAsync(context, name);
                break;
            case RouteKind.Referrers when read:
                await _listings.ReferrersAsync(context, name, Names.Digest(route.Reference));
                break;
            case RouteKind.Manifest when read:
                await _manifests.GetAsync(context, name, route.Reference);
                break;
            case RouteKind.Manifest when HttpMethods.IsPut(method):
                await _manifests.PutAsync(context, name, route.Reference);
                break;
            case RouteKind.Manifest when HttpMethods.IsDelete(method):
                await _manifests.DeleteAsync(context, name, route.Reference);
                break;
            case RouteKind.Blob when read:
                await _blobs.GetAsync(context, name, Names.Digest(route.Reference));
                break;
            case RouteKind.Blob when HttpMethods.IsDelete(method):
                await _blobs.DeleteAsync(context, name, Names.Digest(route.Reference));
                break;
            case RouteKind.UploadStart when HttpMethods.IsPost(method):
                string? from = context.Request.Query["from"];
                bool mountAllowed = from is not null && granted.Allows("repository", from, "pull");
                await _uploads.StartAsync(context, name, mountAllowed);
                break;
            case RouteKind.Upload when HttpMethods.IsPatch(method):
                await _uploads.PatchAsync(context, name, route.Reference);
                break;
            case RouteKind.Upload when HttpMethods.IsPut(method):
                await _uploads.FinishAsync(context, name, route.Reference);
                break;
            case RouteKind.Upload when HttpMethods.IsGet(method):
                await _uploads.StatusAsync(context, name, route.Reference);
                break;
            case RouteKind.Upload when HttpMethods.IsDelete(method):
                await _uploads.CancelAsync(context, name, route.Reference);
                break;
            default:
                throw MethodNotAllowed(method);
        }
        return granted.Account;
    }

    private static BerthException MethodNotAllowed(string method) =>
        RegistryErrors.Unsupported($"the operation is unsupported: method {method} is not allowed here");

    private static BerthException NotFound(HttpContext context) =>
        RegistryErrors.Create(ErrorCode.NameUnknown, $"no route for {context.Request.Path}", StatusCodes.Status404NotFound);
}
