using System.Net;
using System.Text.Json.Nodes;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// DNS rebinding: a web page points a name of its own (evil.example) at 127.0.0.1, and its visitor's browser then
/// sends the page's requests to the sample over loopback, with the page's name in the Host header, and hands the
/// answers to the page. The sample's internals and drills answer only requests addressed to a loopback name, and
/// its AllowedHosts turns any other name away from the whole app.
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class DnsRebindingTests
{
    static readonly string[] Internals = ["/diagnostics/logging", "/metrics"];

    // An app that lists its public names in AllowedHosts lets other names through to the endpoints: "*" stands
    // for that here, so that the operator check is tested on its own.
    static void AllowAnyHost(JsonObject settings) => settings["AllowedHosts"] = "*";

    static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string host)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    static async Task AssertInternalsAnswer(HttpClient client, string host, HttpStatusCode status)
    {
        foreach (var path in Internals)
        {
            using var response = await SendAsync(client, HttpMethod.Get, path, host);
            Assert.True(response.StatusCode == status, $"{path} with Host {host} answered {(int)response.StatusCode}");
        }

        using var health = await SendAsync(client, HttpMethod.Get, "/health", host);
        var body = await health.Content.ReadAsStringAsync();
        Assert.Equal(status == HttpStatusCode.OK, body.Contains("\"checks\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Internals_InDevelopmentAddressedToAForeignName_Are403()
    {
        await using var app = new SampleApp(edit: AllowAnyHost, environment: "Development");
        app.Start();
        var client = app.CreateClient();

        await AssertInternalsAnswer(client, "evil.example", HttpStatusCode.Forbidden);
        await AssertInternalsAnswer(client, "localhost", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Internals_OutsideDevelopmentOverLoopbackAddressedToAForeignName_Are403()
    {
        await using var app = new SampleApp(edit: AllowAnyHost, environment: "Production", kestrel: true);
        app.Start();
        using var client = app.CreateHostClient();
        var port = app.ServerAddress.Port;

        using (var refused = await SendAsync(client, HttpMethod.Get, "/diagnostics/logging", $"evil.example:{port}"))
        {
            Assert.Equal("This endpoint answers only requests to localhost, 127.0.0.1 or [::1], and outside Development only from this machine.",
                await refused.Content.ReadAsStringAsync());
        }

        await AssertInternalsAnswer(client, $"evil.example:{port}", HttpStatusCode.Forbidden);
        await AssertInternalsAnswer(client, $"localhost.evil.example:{port}", HttpStatusCode.Forbidden);
        await AssertInternalsAnswer(client, $"localhost:{port}", HttpStatusCode.OK);
        await AssertInternalsAnswer(client, $"LocalHost:{port}", HttpStatusCode.OK);
        await AssertInternalsAnswer(client, $"127.0.0.1:{port}", HttpStatusCode.OK);
        await AssertInternalsAnswer(client, $"[::1]:{port}", HttpStatusCode.OK);
        await AssertInternalsAnswer(client, "localhost", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Drill_InDevelopmentAddressedToAForeignName_Is403AndBreaksNothing()
    {
        await using var app = new SampleApp(edit: AllowAnyHost, environment: "Development");
        app.Start();
        var client = app.CreateClient();

        // To the browser the rebound page and the sample are one origin, so it says so.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/drills/{app.Main}/crash");
        request.Headers.Host = "evil.example";
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        (await client.GetAsync("/hello/after")).EnsureSuccessStatusCode();
        var s = app.WaitUntilIdle();
        Assert.Equal(0, s.FaultRestarts);
        Assert.Null(s.LastError);
    }

    [Fact]
    public async Task Sample_WithItsAllowedHosts_Answers400ToAForeignNameEverywhere()
    {
        await using var app = new SampleApp(environment: "Production", kestrel: true);
        app.Start();
        using var client = app.CreateHostClient();
        var port = app.ServerAddress.Port;

        foreach (var path in Internals.Append("/hello/there").Append("/health"))
        {
            using var refused = await SendAsync(client, HttpMethod.Get, path, $"evil.example:{port}");
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{path} answered {(int)refused.StatusCode}");
            using var taken = await SendAsync(client, HttpMethod.Get, path, $"localhost:{port}");
            Assert.True(taken.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)taken.StatusCode}");
        }
    }
}
