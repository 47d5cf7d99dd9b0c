namespace GovEvents.Api.Hosting;

/// <summary>
/// A set of endpoints registered as a service and mapped at start-up, for endpoints that come from
/// outside this assembly (a plug-in feature, or a test's own endpoints). Features inside the API
/// map their groups from <see cref="HostingExtensions.MapGovEventsEndpoints"/>.
/// </summary>
public interface IEndpointModule
{
    void Map(IEndpointRouteBuilder app);
}
