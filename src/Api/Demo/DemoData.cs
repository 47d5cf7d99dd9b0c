using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Fees;
using GovEvents.Domain.Organisation;

namespace GovEvents.Api.Demo;

/// <summary>
/// The demo hall: departments, windows, staff and delegations, twenty-odd real matters of the kinds
/// the source documents name, and the 2026 calendar of the State Council holiday notice.
/// </summary>
public static class DemoData
{
    public sealed record DemoDepartment(string Code, string Name, string LeaderId, string LeaderName);
    public sealed record DemoStaff(string Id, string Name, string DepartmentCode, string? WindowCode, Tier[] Tiers);
    public sealed record DemoWindow(string Code, string Name, WindowKind Kind, string? DepartmentCode, string? StaffA, string? StaffB);

    public static readonly DemoDepartment[] Departments =
    [
        new("HALL", "行政审批服务局（大厅管理办）", "hall-lead", "周主任"),
        new("MARKET", "市场监督管理局", "market-lead", "王局长"),
        new("NATRES", "自然资源和规划局", "natres-lead", "李局长"),
        new("HOUSING", "住房和城乡建设局", "housing-lead", "赵局长"),
        new("ENV", "生态环境局", "env-lead", "钱局长"),
        new("FIRE", "消防救援支队", "fire-lead", "孙支队长"),
        new("HEALTH", "卫生健康委员会", "health-lead", "吴主任"),
        new("TRANSPORT", "交通运输局", "transport-lead", "郑局长"),
        new("CULTURE", "文化和旅游局", "culture-lead", "冯局长"),
        new("PUBSEC", "公安局", "pubsec-lead", "陈局长"),
        new("CIVIL", "民政局", "civil-lead", "褚局长"),
        new("EDU", "教育局", "edu-lead", "卫局长"),
        new("AGRI", "农业农村局", "agri-lead", "蒋局长"),
        new("WATER", "水利局", "water-lead", "沈局长"),
    ];

    public static readonly DemoWindow[] Windows =
    [
        new("ZH-01", "综合受理窗口一", WindowKind.Comprehensive, "HALL", "clerk-1", "clerk-2"),
        new("ZH-02", "综合受理窗口二", WindowKind.Comprehensive, "HALL", "clerk-2", "clerk-1"),
        new("QYKB-01", "企业开办专区", WindowKind.Department, "MARKET", "market-h1", "market-h2"),
        new("GCJS-01", "工程建设项目审批专区", WindowKind.Department, "NATRES", "natres-h1", "natres-r1"),
        new("FEE-01", "统一收费窗口", WindowKind.Fee, "HALL", "cashier-1", "cashier-2"),
    ];

    private static readonly Tier[] None = [];

    /// <summary>Per department a handler, a second handler, a reviewer and an approver, each delegated for its tier.</summary>
    public static readonly DemoStaff[] Staff =
    [
        new("clerk-1", "刘受理", "HALL", "ZH-01", None),
        new("clerk-2", "杨受理", "HALL", "ZH-02", None),
        new("cashier-1", "何收费", "HALL", "FEE-01", None),
        new("cashier-2", "吕收费", "HALL", "FEE-01", None),
        new("agent-1", "施代办", "HALL", null, None),
        new("manager-1", "张管理", "HALL", null, None),
        new("inspector-1", "孔监察", "HALL", null, None),
        new("auditor-1", "曹审计", "HALL", null, None),
        .. Departments.Where(d => d.Code != "HALL").SelectMany(d => new DemoStaff[]
        {
            new($"{d.Code.ToLowerInvariant()}-h1", $"{d.Name[..2]}承办甲", d.Code, null, [Tier.Handler]),
            new($"{d.Code.ToLowerInvariant()}-h2", $"{d.Name[..2]}承办乙", d.Code, null, [Tier.Handler]),
            new($"{d.Code.ToLowerInvariant()}-r1", $"{d.Name[..2]}审查", d.Code, null, [Tier.Reviewer]),
            new($"{d.Code.ToLowerInvariant()}-a1", $"{d.Name[..2]}审批", d.Code, null, [Tier.Approver]),
        }),
    ];

    private static MaterialSpec M(string code, string name, bool mandatory = true, bool deferrable = false) => new(code, name, mandatory, deferrable);
    private static SpecialProcedure Site(string basis) => new("site-inspection", "现场勘察", basis, false);
    private static SpecialProcedure Notice(string basis, bool counts = false) => new("public-notice", "批前公示", basis, counts);

    private static MatterDefinition Matter(string code, string name, string dept, string basis, int statutory, int promised, int tiers,
        MaterialSpec[] materials, bool onTheSpot = false, bool instant = false, CommitmentSpec? commitment = null,
        ParallelSpec? parallel = null, SpecialProcedure[]? special = null, MatterLevel level = MatterLevel.City,
        ServiceObject obj = ServiceObject.Organisation, MatterCategory category = MatterCategory.Licensing, string[]? fees = null) =>
        new(code, name, category, dept, basis, level, obj, statutory, promised, tiers, materials, fees ?? [], onTheSpot, instant,
            commitment, parallel, special ?? []);

    /// <summary>
    /// Fee items published and reviewed for 2026 (年度审验公示): construction permits carry two
    /// departments' discretionary items on one payment notice (一费制, charged at the lower bound),
    /// the water-abstraction permit one standard item.
    /// </summary>
    public static readonly FeeItemDefinition[] FeeItems =
    [
        new("RFYD-001", "防空地下室易地建设费", "HOUSING", "《中华人民共和国人民防空法》第二十二条", null, 5000.00m, 20000.00m),
        new("STBC-001", "水土保持补偿费", "WATER", "《水土保持补偿费征收使用管理办法》（财综〔2014〕8号）", null, 1000.00m, 3000.00m),
        new("SZY-001", "水资源费", "WATER", "《取水许可和水资源费征收管理条例》第二十八条", 800.00m, null, null),
    ];

    private static readonly MaterialSpec Form = M("application-form", "申请书");
    private static readonly MaterialSpec Id = M("id-proof", "申请人身份证明");
    private static readonly MaterialSpec Licence = M("business-licence", "营业执照");

    public static readonly MatterDefinition[] Matters =
    [
        // 企业开办: on the spot, one tier; seals and sole traders decided instantly (秒批).
        Matter("QYKB-001", "企业设立登记", "MARKET", "《中华人民共和国市场主体登记管理条例》第十九条", 3, 1, 1,
            [Form, M("articles", "公司章程"), Id, M("premises-proof", "住所使用证明", deferrable: true)], onTheSpot: true),
        Matter("QYKB-002", "企业变更登记", "MARKET", "《中华人民共和国市场主体登记管理条例》第二十四条", 3, 1, 1,
            [Form, M("resolution", "变更决议"), Licence], onTheSpot: true),
        Matter("QYKB-003", "个体工商户设立登记", "MARKET", "《促进个体工商户发展条例》第八条", 3, 0, 1,
            [Form, Id], instant: true, obj: ServiceObject.Person),
        Matter("QYKB-004", "公章刻制备案", "PUBSEC", "《印铸刻字业暂行管理规则》第四条", 1, 0, 1,
            [Form, Licence], instant: true, category: MatterCategory.Confirmation),
        Matter("QYKB-005", "企业注销登记", "MARKET", "《中华人民共和国市场主体登记管理条例》第三十一条", 10, 3, 2,
            [Form, M("liquidation-report", "清算报告"), Licence]),

        // 食品经营许可: commitment with post-check; site inspection as a special procedure.
        Matter("SPJY-001", "食品经营许可（新办）", "MARKET", "《食品经营许可和备案管理办法》第十二条", 20, 10, 2,
            [Form, Licence, M("premises-plan", "经营场所平面图", deferrable: true), M("food-safety-system", "食品安全管理制度"),
             M("health-cert", "从业人员健康证明", mandatory: false)],
            commitment: new CommitmentSpec(20), special: [Site("《食品经营许可和备案管理办法》第二十一条")]),
        Matter("SPJY-002", "食品经营许可（延续）", "MARKET", "《食品经营许可和备案管理办法》第三十条", 20, 5, 2,
            [Form, M("current-licence", "原食品经营许可证")], commitment: new CommitmentSpec(30)),
        Matter("SPJY-003", "食品生产许可", "MARKET", "《食品生产许可管理办法》第二十条", 20, 15, 3,
            [Form, Licence, M("process-flow", "工艺流程图"), M("equipment-list", "生产设备清单")],
            special: [Site("《食品生产许可管理办法》第二十一条")]),

        // 工程建设项目: the approval stages, parallel review of the participating departments, site inspection.
        Matter("GCJS-001", "建设项目用地预审与选址意见书", "NATRES", "《中华人民共和国土地管理法实施条例》第二十四条", 20, 10, 3,
            [Form, M("project-approval", "项目批准文件"), M("site-map", "拟选址位置图")],
            parallel: new ParallelSpec(["ENV", "HOUSING"], 5), special: [Site("《建设项目用地预审管理办法》第八条")]),
        Matter("GCJS-002", "建设用地规划许可证核发", "NATRES", "《中华人民共和国城乡规划法》第三十七条", 20, 10, 3,
            [Form, M("land-use-approval", "用地预审意见"), M("red-line-map", "建设用地红线图")],
            parallel: new ParallelSpec(["HOUSING"], 5), special: [Notice("《中华人民共和国城乡规划法》第二十六条")]),
        Matter("GCJS-003", "建设工程规划许可证核发", "NATRES", "《中华人民共和国城乡规划法》第四十条", 20, 10, 3,
            [Form, M("land-certificate", "土地权属证明"), M("design-scheme", "建设工程设计方案", deferrable: true)],
            parallel: new ParallelSpec(["FIRE", "ENV", "HOUSING"], 5),
            special: [Notice("《中华人民共和国城乡规划法》第二十六条"), Site("《城乡规划法》第五十三条")]),
        Matter("GCJS-004", "建设工程消防设计审查", "FIRE", "《建设工程消防设计审查验收管理暂行规定》第十五条", 15, 10, 3,
            [Form, M("fire-design", "消防设计文件"), M("design-qualification", "设计单位资质证明")],
            special: [Site("《建设工程消防设计审查验收管理暂行规定》第二十六条")]),
        Matter("GCJS-005", "建筑工程施工许可证核发", "HOUSING", "《中华人民共和国建筑法》第八条", 15, 5, 3,
            [Form, M("planning-permit", "建设工程规划许可证"), M("construction-contract", "施工合同"),
             M("safety-measures", "安全施工措施", deferrable: true)],
            parallel: new ParallelSpec(["FIRE"], 3), fees: ["RFYD-001", "STBC-001"]),
        Matter("GCJS-006", "建设工程消防验收", "FIRE", "《中华人民共和国消防法》第十三条", 15, 10, 3,
            [Form, M("completion-report", "工程竣工验收报告"), M("fire-test-report", "消防设施检测报告")],
            special: [new SpecialProcedure("site-assessment", "现场评定", "《建设工程消防设计审查验收管理暂行规定》第二十九条", true)]),
        Matter("GCJS-007", "建设项目环境影响报告表审批", "ENV", "《中华人民共和国环境影响评价法》第二十二条", 30, 15, 3,
            [Form, M("eia-report", "环境影响报告表")],
            special: [Notice("《环境影响评价公众参与办法》第二十九条")]),
        Matter("GCJS-008", "城市建筑垃圾处置核准", "HOUSING", "《城市建筑垃圾管理规定》第七条", 20, 3, 1,
            [Form, M("disposal-plan", "处置方案")], instant: true),

        // Health, transport, culture, civil affairs, education, agriculture, water.
        Matter("WSXK-001", "公共场所卫生许可", "HEALTH", "《公共场所卫生管理条例》第八条", 20, 7, 2,
            [Form, Licence, M("layout-plan", "场所平面布局图")], commitment: new CommitmentSpec(20)),
        Matter("WSXK-002", "医疗机构执业登记", "HEALTH", "《医疗机构管理条例》第十五条", 45, 20, 3,
            [Form, M("staff-roster", "医务人员名册"), M("equipment-list", "设备清单"), M("premises-proof", "房屋产权证明")],
            special: [Site("《医疗机构管理条例实施细则》第二十九条")]),
        Matter("JTYS-001", "道路货物运输经营许可", "TRANSPORT", "《中华人民共和国道路运输条例》第二十四条", 20, 10, 2,
            [Form, M("vehicle-list", "车辆情况说明"), M("driver-qualification", "驾驶人员从业资格证")]),
        Matter("JTYS-002", "网络预约出租汽车运输证核发", "TRANSPORT", "《网络预约出租汽车经营服务管理暂行办法》第十三条", 20, 5, 2,
            [Form, M("vehicle-registration", "机动车行驶证")], obj: ServiceObject.Both),
        Matter("WHLY-001", "娱乐场所经营许可", "CULTURE", "《娱乐场所管理条例》第九条", 20, 10, 2,
            [Form, Licence, M("fire-approval", "消防验收意见")], special: [Site("《娱乐场所管理条例》第九条")]),
        Matter("MZ-001", "民办非企业单位成立登记", "CIVIL", "《民办非企业单位登记管理暂行条例》第十一条", 60, 20, 3,
            [Form, M("articles", "章程草案"), M("capital-proof", "验资报告")]),
        Matter("JY-001", "民办学校办学许可", "EDU", "《中华人民共和国民办教育促进法》第十七条", 60, 30, 3,
            [Form, M("school-charter", "学校章程"), M("premises-proof", "校舍证明")], special: [Site("《民办教育促进法实施条例》第十七条")]),
        Matter("NY-001", "农作物种子生产经营许可", "AGRI", "《中华人民共和国种子法》第三十一条", 20, 10, 2,
            [Form, M("seed-facilities", "种子检验设施证明")], special: [Site("《农作物种子生产经营许可管理办法》第十八条")]),
        Matter("SL-001", "取水许可", "WATER", "《取水许可和水资源费征收管理条例》第十九条", 45, 20, 2,
            [Form, M("water-assessment", "建设项目水资源论证报告")], fees: ["SZY-001"]),
    ];

    private static DateOnly D(int m, int d) => new(2026, m, d);
    private static IEnumerable<DateOnly> Days(int m, int from, int to) => Enumerable.Range(from, to - from + 1).Select(d => D(m, d));

    /// <summary>国务院办公厅关于2026年部分节假日安排的通知: holidays and the weekend days worked (调休).</summary>
    public static readonly DateOnly[] Holidays2026 =
        [.. Days(1, 1, 3), .. Days(2, 15, 23), .. Days(4, 4, 6), .. Days(5, 1, 5), .. Days(6, 19, 21), .. Days(9, 25, 27), .. Days(10, 1, 7)];

    public static readonly DateOnly[] Workdays2026 = [D(1, 4), D(2, 14), D(2, 28), D(5, 9), D(9, 20), D(10, 10)];
}
