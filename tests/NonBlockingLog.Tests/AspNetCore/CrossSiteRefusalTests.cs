using System.Net;
using Microsoft.AspNetCore.Http;
using NonBlockingLog.AspNetCore;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// A web page in the developer's browser can POST to the sample on localhost; the drills refuse what a browser
/// marks as cross-site, and take what a tool (no such headers) or the app's own page sends.
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class CrossSiteRefusalTests
{
    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site", "Sec-Fetch-Site is cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site", "Sec-Fetch-Site is same-site")]
    [InlineData("Origin", "http://evil.example", "Origin http://evil.example is not http://localhost:5000")]
    [InlineData("Origin", "http://localhost:3000", "Origin http://localhost:3000 is not http://localhost:5000")]
    [InlineData("Origin", "https://localhost:5000", "Origin https://localhost:5000 is not http://localhost:5000")]
    [InlineData("Origin", "null", "Origin null is not http://localhost:5000")]
    public void Reason_ForACrossSiteRequest_SaysWhy(string header, string value, string reason)
    {
        var request = Request();
        request.Headers[header] = value;

        Assert.Equal(reason, CrossSiteRefusal.Reason(request));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("same-origin", "http://localhost:5000")]
    [InlineData("none", null)]
    [InlineData(null, "HTTP://LOCALHOST:5000")]
    public void Reason_ForASameOriginOrToolRequest_IsNull(string? site, string? origin)
    {
        var request = Request();
        if (site is not null) request.Headers["Sec-Fetch-Site"] = site;
        if (origin is not null) request.Headers.Origin = origin;

        Assert.Null(CrossSiteRefusal.Reason(request));
    }

    static HttpRequest Request()
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "http";
        request.Host = new HostString("localhost", 5000);
        request.Method = "POST";
        return request;
    }

    /// <summary>POSTs the crash drill with the headers a browser sends: where the page came from, and its origin.</summary>
    static async Task<HttpResponseMessage> PostCrashDrill(SampleApp app, HttpClient client, string site, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/drills/{app.Main}/crash");
        request.Headers.Add("Sec-Fetch-Site", site);
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Drill_FromAnotherSite_Is403AndBreaksNothing()
    {
        await using var app = new SampleApp();
        app.Start();
        var client = app.CreateClient();

        using var response = await PostCrashDrill(app, client, site: "cross-site", origin: "http://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("fault drills refuse cross-site requests: Sec-Fetch-Site is cross-site", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The refused request's own log line has been written, with no crash on the way.
        (await client.GetAsync("/hello/after")).EnsureSuccessStatusCode();
        var s = app.WaitUntilIdle();
        Assert.Equal(0, s.FaultRestarts);
        Assert.Null(s.LastError);
    }

    [Fact]
    public async Task Drill_FromTheAppsOwnPage_Runs()
    {
        await using var app = new SampleApp();
        app.Start();
        var client = app.CreateClient();

        using var response = await PostCrashDrill(app, client, site: "same-origin", origin: client.BaseAddress!.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        app.WaitUntilRestartedAfterCrash();
    }
}
