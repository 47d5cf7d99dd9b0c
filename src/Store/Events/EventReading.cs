using GovEvents.Domain.Cases;
using JasperFx.Events;

namespace GovEvents.Store;

/// <summary>
/// An event as the domain reads it, where what it means depends on who recorded it (its metadata):
/// an application's <see cref="CaseSubmitted.SubmittedBy"/> names the applicant's own account, which
/// an applicant's token may follow. Before that was kept apart, a submission at a window recorded the
/// clerk there; read, such a submission has no applicant account, so an applicant's token that happens
/// to carry a staff member's id never owns that staff member's cases. The stored row is not changed.
/// </summary>
public static class EventReading
{
    public static object Data(object data, EventMetadata metadata) =>
        data is CaseSubmitted { SubmittedBy: not null } s && metadata.ActorKind != ActorKind.Applicant ? s with { SubmittedBy = null } : data;

    public static object Data(IEvent e) => e.Data is CaseSubmitted ? Data(e.Data, EventHeaders.Read(e)) : e.Data;
}
