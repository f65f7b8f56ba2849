using Microsoft.AspNetCore.Http;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// Refuses a request that a browser says comes from another site. A web page open in the developer's browser can
/// POST to http://localhost:5000 without any CORS permission (a form post or a "simple" fetch is sent; only its
/// answer is withheld), so without this any page could stall or crash the sinks of an app running on that machine.
/// Tools such as curl send neither header and are let through.
/// </summary>
internal static class CrossSiteRefusal
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        return Reason(request) is { } reason
            ? Results.Json(new { error = $"fault drills refuse cross-site requests: {reason}" }, statusCode: StatusCodes.Status403Forbidden)
            : await next(context).ConfigureAwait(false);
    }

    /// <summary>Why the request is cross-site, or <c>null</c> if it is not.</summary>
    public static string? Reason(HttpRequest request)
    {
        // Sent by every current browser: same-origin, same-site (another port or subdomain), cross-site, or
        // none (typed into the address bar, a bookmark).
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return $"Sec-Fetch-Site is {site}";

        // Older browsers send only Origin; "null" (a sandboxed frame, a file) is never this app.
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOrigin(origin, request))
            return $"Origin {origin} is not {request.Scheme}://{request.Host}";

        return null;
    }

    static bool IsOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var from)
        && Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var self)
        && Uri.Compare(from, self, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
