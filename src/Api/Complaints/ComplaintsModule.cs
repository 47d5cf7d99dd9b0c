using GovEvents.Api.Fees;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Complaints;
using GovEvents.Api.Hosting.Database;
using GovEvents.Projections.Complaints;

namespace GovEvents.Api.Complaints;

/// <summary>
/// Services of the citizen's money and voice: the fee catalogue, rating deadlines
/// (GovEvents:Ratings:CallbackDays, RectificationDays), complaint deadlines
/// (GovEvents:Complaints:AcceptanceDays, AssignmentDays, RectificationDays, ReplyDays, ClosureDays),
/// the complaint pipeline and its list projection. Their timers join the case timers' registry.
/// </summary>
public static class ComplaintsModule
{
    public static IServiceCollection AddFeesRatingsAndComplaints(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FeeCatalogue>();
        services.AddSingleton(_ => new RatingDeadlines(
            WorkingDays(configuration, "GovEvents:Ratings:CallbackDays", 1),
            WorkingDays(configuration, "GovEvents:Ratings:RectificationDays", 15)));
        services.AddSingleton(_ => new ComplaintDeadlines(
            WorkingDays(configuration, "GovEvents:Complaints:AcceptanceDays", 5),
            WorkingDays(configuration, "GovEvents:Complaints:AssignmentDays", 3),
            WorkingDays(configuration, "GovEvents:Complaints:RectificationDays", 15),
            WorkingDays(configuration, "GovEvents:Complaints:ReplyDays", 5),
            WorkingDays(configuration, "GovEvents:Complaints:ClosureDays", 5)));
        services.AddSingleton<ComplaintCommands>();
        services.ConfigureStore(ComplaintViewProjection.Configure);
        return services;
    }

    private static int WorkingDays(IConfiguration configuration, string key, int fallback)
    {
        var days = configuration.GetValue(key, fallback);
        return days is >= 0 and <= 366 ? days : throw new InvalidOperationException($"{key} is 0 to 366 working days, not {days}.");
    }
}
