using GovEvents.Api.Cases;
using GovEvents.Api.Catalogue;
using GovEvents.Api.Fees;
using GovEvents.Api.Hosting.Database;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Fees;
using GovEvents.Domain.Organisation;
using GovEvents.Store;

namespace GovEvents.Api.Demo;

/// <summary>
/// Loads <see cref="DemoData"/> once per database (GovEvents:Demo:Load, on under ./run.sh): the
/// same events the manager's endpoints would append, recorded as the hall manager.
/// </summary>
public sealed class DemoDataLoader(EventLog store, TimeProvider time, ILogger<DemoDataLoader> log) : IDemoDataLoader
{
    private const string Marker = "department-HALL";

    public async Task LoadAsync(CancellationToken ct)
    {
        if (await store.StreamVersionAsync(Marker, ct) is not null)
        {
            log.LogInformation("Demo dataset already loaded");
            return;
        }
        var now = time.GetUtcNow();
        using var _ = EventContext.Use(new EventMetadata { ActorId = "manager-1", ActorKind = ActorKind.Staff, Role = "manager", Department = "HALL" });
        var appends = new List<StreamAppend>
        {
            StreamAppend.Start(ReferenceData.CalendarStreamId(2026), new CalendarYearSet(2026, DemoData.Holidays2026, DemoData.Workdays2026, now)),
        };
        appends.AddRange(DemoData.Departments.Select(d =>
            StreamAppend.Start(Department.StreamId(d.Code), new DepartmentCreated(d.Code, d.Name, d.LeaderId, now))));
        appends.AddRange(DemoData.Windows.Select(w =>
            StreamAppend.Start($"window-{w.Code}", new WindowOpened(w.Code, w.Name, w.Kind, w.DepartmentCode, w.StaffA, w.StaffB, now))));
        appends.AddRange(DemoData.Departments.Select(d =>
            StreamAppend.Start($"staff-{d.LeaderId}", new StaffRegistered(d.LeaderId, d.LeaderName, d.Code, null, now))));
        appends.AddRange(DemoData.Staff.Select(s =>
            StreamAppend.Start($"staff-{s.Id}", new StaffRegistered(s.Id, s.Name, s.DepartmentCode, s.WindowCode, now))));
        appends.AddRange(DemoData.Staff.Where(s => s.Tiers.Length > 0).Select(s =>
        {
            var id = $"demo-{s.Id}";
            return StreamAppend.Start(Delegation.StreamId(id), new DelegationGranted(id, s.Id, s.DepartmentCode, ["*"], s.Tiers,
                new DateOnly(2026, 1, 1), new DateOnly(2027, 12, 31), now));
        }));
        appends.AddRange(DemoData.FeeItems.Select(f =>
            StreamAppend.Start(FeeItem.StreamId(f.Code), new FeeItemPublished(f.Code, f, 2026, now))));
        appends.AddRange(DemoData.Matters.Select(m =>
            StreamAppend.Start(Matter.StreamId(m.Code), new MatterPublished(m.Code, 1, m, now))));

        // One transaction: all or nothing, so the marker (the HALL department) means all of it.
        await store.AppendAsync(appends, ct);
        log.LogInformation("Loaded the demo dataset: {Departments} departments, {Staff} staff, {FeeItems} fee items, {Matters} matters",
            DemoData.Departments.Length, DemoData.Staff.Length + DemoData.Departments.Length, DemoData.FeeItems.Length, DemoData.Matters.Length);
    }
}
