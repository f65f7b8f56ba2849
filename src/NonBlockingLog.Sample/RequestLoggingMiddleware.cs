using System.Diagnostics;

namespace NonBlockingLog.Sample;

/// <summary>Writes one structured log line per request: method, path, status code and elapsed time.</summary>
sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            // An exception escaping the pipeline is turned into a 500 by the server after this point, so the
            // response does not say so yet; report what the client will get.
            var statusCode = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            logger.Log(
                failed ? LogLevel.Error : LogLevel.Information,
                "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {ElapsedMs:0.0} ms",
                context.Request.Method,
                context.Request.Path.Value,
                statusCode,
                Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
}
