using GovEvents.Domain.Organisation;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace GovEvents.Projections.Organisation;

/// <summary>A delegation (授权委托) as the index keeps it: its grant and its revocation, by staff member.</summary>
public sealed record DelegationEntry(string Id, string StaffId, DelegationGranted Grant, DateTimeOffset? RevokedAt);

/// <summary>
/// Inline index of delegations by staff member: a signature must see a delegation the moment it
/// is granted or revoked, so this runs in the appending transaction.
/// </summary>
public sealed class DelegationIndex : SingleStreamProjection<DelegationEntry, string>
{
    public const string ProjectionName = "delegation_index";

    public DelegationIndex()
    {
        Name = ProjectionName;
        IncludeType<DelegationGranted>();
        IncludeType<DelegationRevoked>();
    }

    public override DelegationEntry? Evolve(DelegationEntry? snapshot, string id, IEvent e) => e.Data switch
    {
        DelegationGranted g => new DelegationEntry(id, g.StaffId, g, null),
        DelegationRevoked r when snapshot is not null => snapshot with { RevokedAt = r.RevokedAt },
        _ => snapshot,
    };

    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<DelegationEntry>().DocumentAlias("delegation_entry").Duplicate(x => x.StaffId);
        opts.Projections.Add(new DelegationIndex(), ProjectionLifecycle.Inline);
    }

    /// <summary>Every delegation ever granted to a staff member, with its revocation if any.</summary>
    public static async Task<IReadOnlyList<Delegation>> ForStaffAsync(IQuerySession session, string staffId, CancellationToken ct) =>
        (await session.Query<DelegationEntry>().Where(d => d.StaffId == staffId).ToListAsync(ct))
            .Select(d => new Delegation(d.Grant, d.RevokedAt)).ToList();
}
