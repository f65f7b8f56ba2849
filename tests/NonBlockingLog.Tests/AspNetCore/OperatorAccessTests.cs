using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// The sample's internals (/diagnostics/logging, /metrics and the reasons behind /health) answer anyone in
/// Development, elsewhere only a caller on this machine that did not come through a proxy. In-process test
/// requests have no remote address, so they stand for a caller from the network.
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class OperatorAccessTests
{
    static readonly string[] Internals = ["/diagnostics/logging", "/metrics"];

    /// <summary>GETs each internal endpoint and checks the status code and, if given, the body.</summary>
    static async Task AssertInternalsAnswer(HttpClient client, HttpStatusCode status, string? body = null)
    {
        foreach (var path in Internals)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == status, $"{path} answered {(int)response.StatusCode}");
            if (body is not null) Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Internals_OutsideDevelopmentFromTheNetwork_Are403AndHealthShowsOnlyItsStatus()
    {
        await using var app = new SampleApp(environment: "Production");
        app.Start();
        var client = app.CreateClient();

        await AssertInternalsAnswer(client, HttpStatusCode.Forbidden, "This endpoint answers only requests to localhost, 127.0.0.1 or [::1], and outside Development only from this machine.");

        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal(["status"], health.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Internals_InDevelopment_AnswerAnyone()
    {
        await using var app = new SampleApp(environment: "Development");
        app.Start();
        var client = app.CreateClient();

        await AssertInternalsAnswer(client, HttpStatusCode.OK);

        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Contains("healthy", health.GetProperty("checks").GetProperty("nonblockinglog").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Internals_OutsideDevelopmentFromLoopback_Answer()
    {
        await using var app = new SampleApp(environment: "Production", kestrel: true);
        app.Start();
        using var client = app.CreateHostClient();

        await AssertInternalsAnswer(client, HttpStatusCode.OK);

        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal(["status", "checks"], health.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7")]
    public async Task Internals_OutsideDevelopmentForwardedByALocalProxy_Are403(string header, string value)
    {
        await using var app = new SampleApp(environment: "Production", kestrel: true);
        app.Start();
        using var client = app.CreateHostClient();

        foreach (var path in Internals.Append("/health"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(header, value);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (path == "/health") Assert.DoesNotContain("checks", body, StringComparison.Ordinal);
            else Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path} answered {(int)response.StatusCode}");
        }
    }
}
