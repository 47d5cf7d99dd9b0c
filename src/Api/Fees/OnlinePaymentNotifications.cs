using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GovEvents.Api.Cases;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting;
using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Store;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Fees;

public sealed record PaymentNotification(string? CaseId, decimal? Amount, string? ReceiptNumber);

/// <summary>
/// The unified online payment channel tells us a payment was made: <c>POST /api/payments/online/notifications</c>
/// with the body signed by the secret we share with it. <c>X-Payment-Timestamp</c> is the Unix time of signing and
/// <c>X-Payment-Signature</c> the lowercase hex HMAC-SHA256 of <c>"{timestamp}.{body}"</c>; the signature is
/// compared in constant time, a timestamp outside the tolerance is refused, and a receipt already recorded on
/// the case is a replay (409, nothing appended). The payment is recorded as the channel's act.
/// </summary>
public static class OnlinePaymentNotifications
{
    public const string TimestampHeader = "X-Payment-Timestamp";
    public const string SignatureHeader = "X-Payment-Signature";
    public const string ChannelActor = "online-payment-channel";
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapOnlinePaymentNotifications(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/payments/online/notifications", Notify).WithTags("Fees").AllowAnonymous()
            .Accepts<PaymentNotification>("application/json");
        return app;
    }

    /// <summary>The signature of a notification: lowercase hex HMAC-SHA256 of "{timestamp}.{body}" under the shared secret.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    private static async Task<IResult> Notify(HttpContext http, IOptions<GovEventsSettings> options, TimeProvider time,
        CaseCommands handler, CancellationToken ct)
    {
        var settings = options.Value.OnlinePayments;
        if (string.IsNullOrEmpty(settings.Secret))
            return CommandResults.NotFound("No online payment channel is configured (GovEvents:OnlinePayments:Secret).");

        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"A notification is at most {MaxBodyBytes} bytes.");
        if (!long.TryParse(http.Request.Headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !SignatureMatches(settings.Secret, timestamp, body, http.Request.Headers[SignatureHeader].ToString()))
            return Unauthorized("The notification is not signed by the online payment channel.");
        var age = time.GetUtcNow().ToUnixTimeSeconds() - timestamp;
        if (Math.Abs(age) > settings.ToleranceSeconds)
            return Unauthorized($"The notification was signed {age} s from now; more than {settings.ToleranceSeconds} s is refused as a replay.");

        PaymentNotification? notification;
        try { notification = JsonSerializer.Deserialize<PaymentNotification>(body, JsonSerializerOptions.Web); }
        catch (JsonException) { notification = null; }
        var errors = new FieldErrors().Require(notification is not null, "body", "A JSON object { caseId, amount, receiptNumber }.");
        if (notification is not null)
            errors.Required(notification.CaseId, "caseId").Required(notification.ReceiptNumber, "receiptNumber")
                .Require(notification.Amount is > 0 && Domain.Fees.FeeItemDefinition.IsYuan(notification.Amount.Value), "amount", "A positive amount in yuan, to the fen.")
                .Require(notification.ReceiptNumber is not { Length: > 64 }, "receiptNumber", "At most 64 characters.");
        if (errors.Any) return errors.Problem();

        var command = new PayFees(notification!.Amount!.Value, PaymentChannel.Online, notification.ReceiptNumber!, ChannelActor);
        using var _ = EventContext.Use(EventContext.Current with { ActorId = ChannelActor, ActorKind = ActorKind.System, Role = null, Department = null, Window = null });
        var result = await CaseCommandRunner.RunAsync(http, handler, notification.CaseId!, (s, c) => CaseDecider.ConfirmOnlinePayment(s, command, c), ct,
            body: FeesResponse.From, refusedAsConflict: Rules.NotificationReplayed);
        return result;
    }

    private static bool SignatureMatches(string secret, long timestamp, byte[] body, string given)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var actual = Encoding.ASCII.GetBytes(given.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IResult Unauthorized(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
}
