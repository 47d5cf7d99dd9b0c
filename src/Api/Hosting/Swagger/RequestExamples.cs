using System.Text.Json.Nodes;
using GovEvents.Api.Audit;
using GovEvents.Api.Cases;
using GovEvents.Api.Catalogue;
using GovEvents.Api.Organisation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace GovEvents.Api.Hosting.Swagger;

/// <summary>Example bodies for the main commands, so that Swagger's "Try it out" starts from a real case.</summary>
public sealed class RequestExamples : ISchemaFilter
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(SubmitCaseRequest)] = """
            {"matterCode":"SPJY-003","channel":"window",
             "applicant":{"kind":"organisation","name":"某某食品有限公司","idNumber":"91110000MA01234567","phone":"13800000000"},
             "materials":["application-form","business-licence","process-flow","equipment-list"],"commitmentSigned":false}
            """,
        [typeof(AcceptanceRequest)] = """{"deferred":[{"material":"premises-proof","dueDate":"2026-12-15"}]}""",
        [typeof(NonAcceptanceRequest)] = """{"reason":"不属于本机关职权范围","legalBasis":"《中华人民共和国行政许可法》第三十二条"}""",
        [typeof(SupplementRequestRequest)] = """{"materials":["premises-plan"],"note":"请一次性补正经营场所平面图"}""",
        [typeof(SignatureRequest)] = """{"tier":"handler","opinion":"approve","comment":"材料齐全，符合条件","onSite":true}""",
        [typeof(SuspensionRequest)] = """{"reason":"expert-review","expectedDays":5,"approvedBy":"王局长","note":"组织专家评审"}""",
        [typeof(ExtensionRequest)] = """{"days":10,"approvedBy":"王局长","reason":"现场核查情况复杂"}""",
        [typeof(LicenceRequest)] = """{"licenceNumber":"SC10611010500001","validUntil":"2031-11-22"}""",
        [typeof(GrantDelegationRequest)] = """
            {"staffId":"market-h1","departmentCode":"MARKET","matterCodes":["*"],"tiers":["handler"],"validFrom":"2026-01-01","validTo":"2026-12-31"}
            """,
        [typeof(Fees.PaymentRequest)] = """{"amount":150.00,"channel":"online","receiptNumber":"UPAY-20261207-000123"}""",
        [typeof(Fees.PaymentNotification)] = """{"caseId":"0199a3c2-0000-7000-8000-000000000001","amount":150.00,"receiptNumber":"UPAY-20261207-000123"}""",
        [typeof(Supervision.AlertReviewRequest)] = """{"note":"已约谈窗口负责人，督促整改"}""",
        [typeof(FileReviewRequest)] = """{"from":"2026-03-01","to":"2026-03-31","sampleSize":10}""",
        [typeof(GradeRequest)] = """{"caseId":"0199a3c2-0000-7000-8000-000000000001","grade":"fail","findings":"缺少不予受理决定书送达回证"}""",
        [typeof(CalendarRequest)] = """{"holidays":["2026-10-01","2026-10-02"],"workdays":["2026-10-10"]}""",
        [typeof(MatterRequest)] = """
            {"code":"SPJY-001","name":"食品经营许可（新办）","category":"licensing","departmentCode":"MARKET",
             "legalBasis":"《食品经营许可和备案管理办法》第十二条","level":"city","serviceObject":"organisation",
             "statutoryDays":20,"promisedDays":10,"tiers":2,
             "materials":[{"code":"application-form","name":"申请书","mandatory":true,"deferrable":false},
                          {"code":"premises-plan","name":"经营场所平面图","mandatory":true,"deferrable":true}],
             "feeItemCodes":[],"onTheSpot":false,"instantApproval":false,"commitment":{"postCheckDays":20},
             "specialProcedures":[{"code":"site-inspection","name":"现场勘察","legalBasis":"第二十一条","countsTowardLimit":false}]}
            """,
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (Examples.TryGetValue(context.Type, out var json) && schema is OpenApiSchema concrete)
            concrete.Examples = [JsonNode.Parse(json)!];
    }
}
