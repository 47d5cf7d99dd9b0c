namespace GovEvents.Bench.Workload;

// The events of a licensing case as the benchmark writes them: the shapes and sizes of the real
// ones (an application with its applicant, channel and materials list; material receipts; review
// opinions; fee payments), about 300 bytes of JSON each.

public sealed record ApplicationSubmitted(
    string CaseId, string MatterCode, string ApplicantName, string ApplicantIdNumber,
    string ApplicantPhone, string Channel, string[] Materials, DateTimeOffset SubmittedAt);

public sealed record MaterialReceived(
    string CaseId, string MaterialCode, string FileName, int Pages, string FileSha256, string ReceivedBy, string Window, DateTimeOffset ReceivedAt);

public sealed record ReviewOpinionRecorded(
    string CaseId, string ReviewerId, string ReviewerName, string Stage, string Opinion, DateTimeOffset RecordedAt);

public sealed record FeePaid(
    string CaseId, string ReceiptNo, decimal Amount, string PaymentChannel, string PayerName, string PayerAccount, string FeeItem, DateTimeOffset PaidAt);

public static class CaseEventTypes
{
    public static readonly IReadOnlyDictionary<string, Type> ByAlias = new Dictionary<string, Type>
    {
        ["application_submitted"] = typeof(ApplicationSubmitted),
        ["material_received"] = typeof(MaterialReceived),
        ["review_opinion_recorded"] = typeof(ReviewOpinionRecorded),
        ["fee_paid"] = typeof(FeePaid),
    };

    public static readonly IReadOnlyDictionary<Type, string> AliasOf = ByAlias.ToDictionary(p => p.Value, p => p.Key);
}
