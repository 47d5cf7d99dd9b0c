using GovEvents.Api.Cases;
using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Fees;

namespace GovEvents.Api.Fees;

public sealed record FeeLineRequest(string? FeeItemCode, decimal? Amount);
public sealed record AssessmentRequest(FeeLineRequest[]? Items);
public sealed record PaymentRequest(decimal? Amount, PaymentChannel? Channel, string? ReceiptNumber);
public sealed record WaiverRequest(string? FeeItemCode, decimal? Amount, string? ApprovalReference, string? Reason);
public sealed record RefundRequest(decimal? Amount, PaymentChannel? Channel, string? ReceiptNumber);

/// <summary>Every fee command's response: the case's version and status, and its fees after the command.</summary>
public sealed record FeesResponse(
    string Id, int Version, string Status, string? NoticeNumber, decimal Assessed, decimal Paid, decimal Waived, decimal Balance,
    decimal RefundDue, decimal Refunded)
{
    public static FeesResponse From(CommandOutcome.Done done, Case state)
    {
        var f = state.Fees;
        return new(done.Id, done.Version, done.Status, f.NoticeNumber, f.Assessed, f.Paid, f.Waived, f.Balance, f.RefundDue, f.Refunded);
    }
}

/// <summary>
/// 一费制 on the case: the payment notice (cashier, handler), payments at the unified window (cashier,
/// channel window) or online (the applicant, channel online, own case), waivers on an approval
/// (cashier, handler), refunds paid back at the window (cashier).
/// </summary>
public static class CaseFeeEndpoints
{
    private const int MaxReceiptLength = 64;

    public static IEndpointRouteBuilder MapCaseFees(this IEndpointRouteBuilder app)
    {
        var fees = app.MapGroup("/api/cases/{id}/fees").WithTags("Fees");
        fees.MapPost("/", Assess).RequireAuthorization(Policies.Fees);
        fees.MapPost("/payments", Pay).RequireAuthorization(Policies.FeePayments);
        fees.MapPost("/waivers", Waive).RequireAuthorization(Policies.Fees);
        fees.MapPost("/refunds", Refund).RequireAuthorization(Policies.FeeRefunds);
        return app;
    }

    private static FieldErrors Money(this FieldErrors errors, decimal? amount, string field, bool positive = true) =>
        errors.Require(amount is { } a && FeeItemDefinition.IsYuan(a) && (!positive || a > 0), field,
            positive ? "A positive amount in yuan, to the fen." : "A non-negative amount in yuan, to the fen.");

    private static FieldErrors Receipt(this FieldErrors errors, string? receipt) =>
        errors.Required(receipt, "receiptNumber").Require(receipt is null || receipt.Length <= MaxReceiptLength, "receiptNumber", $"At most {MaxReceiptLength} characters.");

    private static async Task<IResult> Assess(string id, AssessmentRequest request, RequestActor actor, CaseCommands handler,
        FeeCatalogue catalogue, HttpContext http, CancellationToken ct)
    {
        var lines = request.Items ?? [];
        var errors = new FieldErrors().Require(lines.Length > 0, "items", "One or more fee items: the one payment notice lists them all.");
        for (var i = 0; i < lines.Length; i++)
            errors.Required(lines[i]?.FeeItemCode, $"items[{i}].feeItemCode").Money(lines[i]?.Amount, $"items[{i}].amount", positive: false);
        if (lines.Where(l => l?.FeeItemCode is not null).GroupBy(l => l.FeeItemCode).Any(g => g.Count() > 1))
            errors.Add("items", "One line per fee item.");
        if (errors.Any) return errors.Problem();

        var items = await catalogue.ItemsAsync(lines.Select(l => l.FeeItemCode!), ct);
        var command = new AssessFees([.. lines.Select(l => new FeeLine(l.FeeItemCode!, l.Amount!.Value))], items, actor.Subject!);
        return await CaseCommandRunner.RunAsync(http, handler, id, (s, c) => CaseDecider.AssessFees(s, command, c), ct, body: FeesResponse.From);
    }

    /// <summary>
    /// The unified window takes payments from the cashier; the applicant starts an online payment, which the
    /// channel's signed notification confirms (<see cref="OnlinePaymentNotifications"/>): 202, nothing paid yet.
    /// Any other pairing is a 403.
    /// </summary>
    private static async Task<IResult> Pay(string id, PaymentRequest request, RequestActor actor, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Money(request.Amount, "amount")
            .Require(request.Channel is not null, "channel", "window or online.").Receipt(request.ReceiptNumber);
        if (errors.Any) return errors.Problem();
        var channel = request.Channel!.Value;
        var paired = channel == PaymentChannel.Window ? actor.IsInRole(Roles.Cashier) : actor.IsInRole(Roles.Applicant);
        if (!paired)
            return CaseCommandRunner.Forbidden(channel == PaymentChannel.Window
                ? "Payments at the unified window are taken by the cashier."
                : "Payments through the unified online channel are made by the applicant.");
        if (channel == PaymentChannel.Online)
        {
            var start = new StartOnlinePayment(request.Amount!.Value, request.ReceiptNumber!, actor.Subject!);
            var started = await CaseCommandRunner.RunAsync(http, handler, id, (s, c) => CaseDecider.StartOnlinePayment(s, start, c), ct,
                visible: s => CaseAccess.Owns(actor, s.SubmittedBy, s.AgentStaffId), body: FeesResponse.From);
            return started is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK } && started is IValueHttpResult { Value: { } value }
                ? Results.Accepted(value: value)
                : started;
        }
        var command = new PayFees(request.Amount!.Value, channel, request.ReceiptNumber!, actor.Subject!);
        return await CaseCommandRunner.RunAsync(http, handler, id, (s, c) => CaseDecider.PayFees(s, command, c), ct, body: FeesResponse.From);
    }

    private static async Task<IResult> Waive(string id, WaiverRequest request, RequestActor actor, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Required(request.FeeItemCode, "feeItemCode").Money(request.Amount, "amount");
        if (errors.Any) return errors.Problem();
        // Approval reference and reason are the domain's to judge (waiver-needs-approval, reason-required).
        var command = new WaiveFee(request.FeeItemCode!, request.Amount!.Value, request.ApprovalReference ?? "", request.Reason ?? "", actor.Subject!);
        return await CaseCommandRunner.RunAsync(http, handler, id, (s, c) => CaseDecider.WaiveFee(s, command, c), ct, body: FeesResponse.From);
    }

    private static async Task<IResult> Refund(string id, RefundRequest request, RequestActor actor, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Money(request.Amount, "amount")
            .Require(request.Channel is not null, "channel", "window or online.").Receipt(request.ReceiptNumber);
        if (errors.Any) return errors.Problem();
        var command = new RefundFees(request.Amount!.Value, request.Channel!.Value, request.ReceiptNumber!, actor.Subject!);
        return await CaseCommandRunner.RunAsync(http, handler, id, (s, c) => CaseDecider.RefundFees(s, command, c), ct, body: FeesResponse.From);
    }
}
