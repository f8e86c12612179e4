using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace MisSend.Functions.Console;

/// <summary>
/// Per request: the console's language (<c>?lang=</c>, remembered in a cookie; Japanese by default) and its CSRF token.
/// The token is a double-submit cookie: a random value in a SameSite=Strict, HttpOnly cookie that every form repeats.
/// It needs no server state, so it works on any number of instances.
/// </summary>
public sealed class ConsoleRequest
{
    public const string LanguageCookie = "missend-console-lang";
    public const string CsrfCookie = "missend-console-csrf";
    public const string CsrfField = "csrf";

    private ConsoleRequest(HttpRequest request, string language, string csrf)
    {
        Http = request;
        Language = language;
        Csrf = csrf;
    }

    public HttpRequest Http { get; }

    /// <summary>"ja" or "en".</summary>
    public string Language { get; }

    public string Csrf { get; }

    public bool English => Language == "en";

    /// <summary>The English or the Japanese text, as the console's language says.</summary>
    public string T(string en, string ja) => English ? en : ja;

    public static ConsoleRequest Read(HttpRequest request)
    {
        var asked = request.Query["lang"].ToString();
        var language = asked is "ja" or "en" ? asked : request.Cookies[LanguageCookie] is "en" ? "en" : "ja";
        var options = new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps, Path = "/", IsEssential = true };
        if (asked is "ja" or "en")
        {
            request.HttpContext.Response.Cookies.Append(LanguageCookie, language, options);
        }

        var csrf = request.Cookies[CsrfCookie];
        if (csrf is not { Length: 43 })
        {
            csrf = Base64Url(RandomNumberGenerator.GetBytes(32));
            request.HttpContext.Response.Cookies.Append(CsrfCookie, csrf, options);
        }

        return new ConsoleRequest(request, language, csrf);
    }

    /// <summary>A form posted by the console itself: its token matches the cookie, and the browser does not call it cross-site.</summary>
    public static bool IsGenuinePost(HttpRequest request, IFormCollection form)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site")
        {
            return false;
        }

        var cookie = request.Cookies[CsrfCookie];
        var field = form[CsrfField].ToString();
        return cookie is { Length: 43 } && field.Length == cookie.Length
            && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(cookie), System.Text.Encoding.ASCII.GetBytes(field));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
