namespace GovEvents.Bench.Workload;

/// <summary>Deterministic sample events, about 300 bytes of JSON each; the n-th event of a case depends only on (case, n).</summary>
public static class CaseSamples
{
    private static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly string[] Materials = ["营业执照", "身份证明", "场所平面图", "健康证明"];

    public static ApplicationSubmitted Submitted(string caseId, int seed) => new(
        caseId,
        MatterCode: "11440100MB2C92016X4440117001",
        ApplicantName: $"越秀区{seed % 1000:000}号餐饮有限公司",
        ApplicantIdNumber: $"4401041990{seed % 10000:0000}123X",
        ApplicantPhone: $"138{seed % 100000000:00000000}",
        Channel: (seed % 3) switch { 0 => "window", 1 => "online", _ => "mobile" },
        Materials: Materials,
        SubmittedAt: Epoch.AddSeconds(seed));

    /// <summary>Event number <paramref name="n"/> (1-based) of a case: 1 submits, later ones rotate.</summary>
    public static object Event(string caseId, int seed, int n) => n switch
    {
        1 => Submitted(caseId, seed),
        _ => (n % 3) switch
        {
            0 => new MaterialReceived(caseId, $"M{n:00}", $"scan-{seed}-{n:00}.pdf", 1 + n % 7,
                $"{seed:x8}{n:x8}9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a", "staff-0231", "越秀区政务中心12号窗口",
                Epoch.AddSeconds(seed).AddMinutes(n)),
            1 => new ReviewOpinionRecorded(caseId, "staff-0457", "陈晓明", n < 10 ? "acceptance" : "review",
                "材料齐全，符合法定形式，同意受理并转审查环节处理，请于三个工作日内完成现场核查。", Epoch.AddSeconds(seed).AddMinutes(n)),
            _ => new FeePaid(caseId, $"R2026{seed % 1000000:000000}{n:00}", 120.50m + n, "unionpay",
                $"越秀区{seed % 1000:000}号餐饮有限公司", $"6222 0236 0201 {seed % 10000:0000}", "许可证工本费",
                Epoch.AddSeconds(seed).AddMinutes(n)),
        },
    };
}
