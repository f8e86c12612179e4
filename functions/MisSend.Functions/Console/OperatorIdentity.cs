using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using MisSend.Application.Model;

namespace MisSend.Functions.Console;

/// <summary>
/// Who is acting on an operator route. In Azure the app sits behind App Service Authentication, which signs the
/// officer in with Entra ID, strips these headers from what clients send and sets them itself: a request without them
/// did not come through sign-in and is refused. Off Azure (<c>detector run</c>, tests) the routes are open on loopback
/// only, and the operator is the machine's user.
/// </summary>
public sealed class OperatorIdentity(IConfiguration configuration)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string PrincipalIdpHeader = "X-MS-CLIENT-PRINCIPAL-IDP";

    /// <summary>App Service sets this on every app it runs, Flex Consumption included.</summary>
    public const string SiteNameSetting = "WEBSITE_SITE_NAME";

    public bool InAzure => !string.IsNullOrEmpty(configuration[SiteNameSetting]);

    /// <summary>The operator, or the response that refuses the request.</summary>
    public (OperatorAction? Operator, IActionResult? Refusal) Identify(HttpRequest request, string? reason = null)
    {
        if (InAzure)
        {
            var name = First(request, PrincipalNameHeader) ?? First(request, PrincipalIdHeader);
            return string.IsNullOrEmpty(First(request, PrincipalHeader)) || name is null
                ? (null, Refuse(HttpStatusCode.Unauthorized, "sign-in required: operator routes need App Service Authentication (see docs/deploy.md)"))
                : (new OperatorAction($"{First(request, PrincipalIdpHeader) ?? "entra"}:{name}", reason), null);
        }

        // An in-process call has no connection address; anything over the network must come from this machine.
        var remote = request.HttpContext.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote)
            ? (new OperatorAction($"local:{Environment.UserName}", reason), null)
            : (null, Refuse(HttpStatusCode.Forbidden, "operator routes are open on loopback only when not behind App Service Authentication"));
    }

    private static string? First(HttpRequest request, string header) =>
        request.Headers[header].FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static ContentResult Refuse(HttpStatusCode status, string message) =>
        new() { StatusCode = (int)status, ContentType = "text/plain; charset=utf-8", Content = message };
}
