using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Bench.Measure;

namespace GovEvents.Bench.Http;

/// <summary>
/// The command path through the real API: each client takes a case through submit → acceptance → three
/// signatures (handler, reviewer, approver) → licence → delivery, one request after the other; one operation
/// is one command (one HTTP request: authentication, the case's stream folded, the decider, the append with
/// its expected version and hash chain, the JSON answer). A case is 7 commands and 9 events.
/// </summary>
public sealed class CommandPath(ApiHost api, string clerkToken, string[] signerTokens) : ISide
{
    public const string Matter = "BENCH3";
    public const int CommandsPerCase = 7;

    private static readonly string[] Tiers = ["handler", "reviewer", "approver"];
    private static long _cases;

    /// <summary>Cases delivered so far (all rows).</summary>
    public static long CasesDelivered => Interlocked.Read(ref _cases);

    public static async Task<CommandPath> CreateAsync(ApiHost api, CancellationToken ct)
    {
        var clerk = await api.TokenAsync("clerk-1", ["clerk"], "HALL", "ZH-01", ct);
        var signers = new[]
        {
            await api.TokenAsync("market-h1", ["handler"], "MARKET", null, ct),
            await api.TokenAsync("market-r1", ["reviewer"], "MARKET", null, ct),
            await api.TokenAsync("market-a1", ["approver"], "MARKET", null, ct),
        };
        return new CommandPath(api, clerk, signers);
    }

    public Task<Operation> CreateWriterAsync(int writer, CancellationToken ct)
    {
        var clerk = api.Client(clerkToken);
        var signers = signerTokens.Select(t => api.Client(t)).ToArray();
        var step = 0;
        string? id = null;
        var n = 0;
        return Task.FromResult<Operation>(async () =>
        {
            HttpResponseMessage response;
            switch (step)
            {
                case 0:
                    n++;
                    response = await clerk.PostAsJsonAsync("/api/cases", new
                    {
                        matterCode = Matter, channel = "window", materials = new[] { "form" },
                        applicant = new { kind = "person", name = $"申请人{writer:00}{n:00000}", idNumber = "110101199001011234", phone = "13800000000" },
                    }, ct);
                    await ApiHost.EnsureAsync(response, HttpStatusCode.Created, ct);
                    id = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
                    break;
                case 1:
                    response = await clerk.PostAsJsonAsync($"/api/cases/{id}/acceptance", new { }, ct);
                    break;
                case 2 or 3 or 4:
                    var tier = Tiers[step - 2];
                    response = await signers[step - 2].PostAsJsonAsync($"/api/cases/{id}/signatures",
                        new { tier, opinion = "approve", comment = $"{tier} 同意", onSite = true }, ct);
                    break;
                case 5:
                    response = await clerk.PostAsJsonAsync($"/api/cases/{id}/licence", new { licenceNumber = $"SC-{writer:00}-{n:000000}" }, ct);
                    break;
                default:
                    response = await clerk.PostAsJsonAsync($"/api/cases/{id}/delivery", new { method = "electronic" }, ct);
                    break;
            }
            if (step > 0) await ApiHost.EnsureAsync(response, HttpStatusCode.OK, ct);
            response.Dispose();
            if (++step == CommandsPerCase)
            {
                step = 0;
                Interlocked.Increment(ref _cases);
            }
        });
    }
}
