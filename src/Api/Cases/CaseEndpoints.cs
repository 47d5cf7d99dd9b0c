using System.Security.Cryptography;
using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Store;
using Npgsql;

namespace GovEvents.Api.Cases;

/// <summary>
/// The case (办件) commands. Each endpoint turns its request into a domain command with the actor
/// and time added, and lets <see cref="CaseCommands"/> decide and append.
/// </summary>
public static class CaseEndpoints
{
    public static IEndpointRouteBuilder MapCaseCommands(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("Cases");
        cases.MapPost("/", Submit).RequireAuthorization(Policies.CaseIntake);
        cases.MapPost("/{id}/supplement-requests", RequestSupplement).RequireAuthorization(Policies.CaseReception);
        cases.MapPost("/{id}/supplements", Supplement).RequireAuthorization(Policies.CaseIntake);
        cases.MapPost("/{id}/acceptance", Accept).RequireAuthorization(Policies.CaseReception);
        cases.MapPost("/{id}/non-acceptance", RefuseAcceptance).RequireAuthorization(Policies.CaseReception);
        cases.MapPost("/{id}/signatures", Sign).RequireAuthorization(Policies.Signatures);
        cases.MapPost("/{id}/parallel-review", StartParallelReview).RequireAuthorization(Policies.CaseReview);
        cases.MapPost("/{id}/parallel-review/opinions", GiveOpinion).RequireAuthorization(Policies.CaseReview);
        cases.MapPost("/{id}/parallel-review/meetings", HoldMeeting).RequireAuthorization(Policies.JointMeetings);
        cases.MapPost("/{id}/suspensions", Suspend).RequireAuthorization(Policies.CaseReview);
        cases.MapPost("/{id}/resumption", Resume).RequireAuthorization(Policies.CaseReview);
        cases.MapPost("/{id}/extension", Extend).RequireAuthorization(Policies.CaseReview);
        cases.MapPost("/{id}/licence", IssueLicence).RequireAuthorization(Policies.CaseReception);
        cases.MapPost("/{id}/delivery", Deliver).RequireAuthorization(Policies.CaseReception);
        cases.MapPost("/{id}/withdrawal", Withdraw).RequireAuthorization(Policies.CaseIntake);
        cases.MapPost("/{id}/transfer", Transfer).RequireAuthorization(Policies.CaseReception);
        cases.MapPost("/{id}/post-check", PostCheck).RequireAuthorization(Policies.CaseReview);
        return app;
    }

    private static async Task<IResult> Submit(SubmitCaseRequest request, RequestActor actor, CaseCommands handler,
        ReferenceData reference, EventLog store, NpgsqlDataSource db, HttpContext http, CancellationToken ct)
    {
        var a = request.Applicant;
        var errors = new FieldErrors().Required(request.MatterCode, "matterCode")
            .Require(a is not null, "applicant", "Required.")
            .Require(a is null || a.Kind is not null, "applicant.kind", "person or organisation.")
            .Required(a?.Name, "applicant.name").Required(a?.IdNumber, "applicant.idNumber").Required(a?.Phone, "applicant.phone")
            .Require(request.Channel is not null, "channel", "window, online, kiosk or mobile.")
            .Require(request.Materials is not null && request.Materials.All(m => !string.IsNullOrWhiteSpace(m)), "materials", "A list of material codes.");
        if (errors.Any) return errors.Problem();

        var matter = await reference.MatterAsync(request.MatterCode!, ct);
        if (matter.Definition is null) return CommandResults.Invalid("matterCode", $"No matter {request.MatterCode} in the catalogue.");
        var unknown = request.Materials!.Except(matter.Definition.Materials.Select(m => m.Code)).ToList();
        if (unknown.Count > 0) return CommandResults.Invalid("materials", $"Materials not required by {matter.Definition.Code}: {string.Join(", ", unknown)}.");

        // An agent (代办员) acts for the applicant and is recorded as such; a clerk may name one.
        var agent = actor.IsInRole(Roles.Agent) && !actor.IsInRole(Roles.Clerk) ? actor.Subject : request.AgentStaffId;
        var clock = await handler.ClockAsync(ct);
        var caseId = Guid.CreateVersion7(clock.Now).ToString();
        var caseNumber = await NextCaseNumberAsync(db, store.Schema, clock.Today.Year, ct);
        var queryCode = QueryCode.Format(RandomNumberGenerator.GetInt32);
        var command = new SubmitCase(caseId, caseNumber, QueryCodeHash.Of(queryCode, RandomNumberGenerator.GetBytes(QueryCodeHash.SaltBytes)), matter,
            new Applicant(a!.Kind!.Value, a.Name!, a.IdNumber!, a.Phone!), request.Channel!.Value, request.Materials!,
            agent, request.CommitmentSigned ?? false, actor.WindowCode, actor.IsApplicant ? actor.Subject : null);

        var outcome = await handler.StartAsync(caseId, CaseDecider.Submit(command, clock), ct);
        return outcome.ToResult(http, done => new SubmitCaseResponse(caseId, caseNumber, queryCode, done.Status, done.Version), $"/api/cases/{caseId}");
    }

    private static async Task<string> NextCaseNumberAsync(NpgsqlDataSource db, string schema, int year, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"select nextval('{schema}.{Hosting.Database.MartenSetup.CaseNumberSequence}')");
        var n = (long)(await cmd.ExecuteScalarAsync(ct))!;
        return $"{year}{n:D6}";
    }

    // Every case command goes through the one runner: If-Match, others' cases hidden, outcome mapped once.
    private static Task<IResult> Handle(HttpContext http, CaseCommands handler, string id,
        Func<Case, CaseClock, Task<Decision>> decide, CancellationToken ct, Func<Case, bool>? visible = null, Func<CommandOutcome.Done, object>? body = null) =>
        CaseCommandRunner.RunAsync(http, handler, id, decide, ct, visible, body is null ? null : (done, _) => body(done));

    private static Task<IResult> Handle(HttpContext http, CaseCommands handler, string id, Func<Case, CaseClock, Decision> decide,
        CancellationToken ct, Func<Case, bool>? visible = null, Func<CommandOutcome.Done, object>? body = null) =>
        Handle(http, handler, id, (s, c) => Task.FromResult(decide(s, c)), ct, visible, body);

    private static async Task<IResult> RequestSupplement(string id, SupplementRequestRequest request, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        if (request.Materials is not { Length: > 0 }) return CommandResults.Invalid("materials", "Name every missing material at once (一次性告知).");
        return await Handle(http, handler, id, (s, c) => CaseDecider.RequestSupplement(s, new RequestSupplement(request.Materials, request.Note ?? ""), c), ct);
    }

    private static async Task<IResult> Supplement(string id, SupplementsRequest request, RequestActor actor, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        if (request.Materials is not { Length: > 0 }) return CommandResults.Invalid("materials", "One or more material codes.");
        return await Handle(http, handler, id, (s, c) => CaseDecider.Supplement(s, new Supplement(request.Materials), c), ct,
            s => CaseAccess.MayAct(actor, s.SubmittedBy, s.AgentStaffId));
    }

    private static async Task<IResult> Accept(string id, AcceptanceRequest? request, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var deferred = request?.Deferred ?? [];
        var errors = new FieldErrors();
        for (var i = 0; i < deferred.Length; i++)
        {
            errors.Required(deferred[i].Material, $"deferred[{i}].material");
            errors.Require(deferred[i].DueDate is not null, $"deferred[{i}].dueDate", "Required: the date the material is due.");
        }
        if (errors.Any) return errors.Problem();
        var command = new AcceptCase(deferred.Select(d => new DeferredMaterial(d.Material!, d.DueDate!.Value)).ToList());
        return await Handle(http, handler, id, (s, c) => CaseDecider.Accept(s, command, c), ct, body: done =>
        {
            var accepted = done.Events.OfType<CaseAccepted>().FirstOrDefault();
            return new AcceptanceResponse(done.Id, done.Version, done.Status, accepted?.PromisedDeadline, accepted?.StatutoryDeadline,
                done.Events.OfType<CaseApproved>().FirstOrDefault()?.PostCheckDueDate);
        });
    }

    private static Task<IResult> RefuseAcceptance(string id, NonAcceptanceRequest request, CaseCommands handler, HttpContext http, CancellationToken ct) =>
        Handle(http, handler, id, (s, c) => CaseDecider.RefuseAcceptance(s, new RefuseAcceptance(request.Reason ?? "", request.LegalBasis ?? ""), c), ct);

    private static async Task<IResult> Sign(string id, SignatureRequest request, RequestActor actor, CaseCommands handler,
        ReferenceData reference, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(request.Tier is not null, "tier", "handler, reviewer or approver.")
            .Require(request.Opinion is not null, "opinion", "approve, deny or return.")
            .Require(request.OnSite is not null, "onSite", "Whether signed on site (现场签批) or remotely.");
        if (errors.Any) return errors.Problem();
        var delegations = await reference.DelegationsAsync(actor.Subject!, ct);
        return await Handle(http, handler, id, async (s, c) =>
        {
            var leader = (await reference.DepartmentAsync(s.Matter?.DepartmentCode ?? "", ct)).LeaderStaffId;
            return CaseDecider.Sign(s, new SignCase(request.Tier!.Value, actor.Subject!, request.Opinion!.Value, request.Comment ?? "",
                request.OnSite!.Value, request.Reason, request.LegalBasis, delegations, leader), c);
        }, ct);
    }

    private static async Task<IResult> StartParallelReview(string id, ParallelReviewRequest? request, CaseCommands handler,
        ReferenceData reference, HttpContext http, CancellationToken ct)
    {
        // Participants are departments of the hall: one that does not exist could only ever be deemed to consent.
        var unknown = new List<string>();
        foreach (var code in (request?.Participants ?? []).Distinct())
            if (string.IsNullOrWhiteSpace(code) || (await reference.DepartmentAsync(code, ct)).Code is null) unknown.Add(code);
        var errors = new FieldErrors()
            .Require(unknown.Count == 0, "participants", $"No department {string.Join(", ", unknown)}.")
            .Require(request?.OpinionDays is null or >= 1, "opinionDays", "1 or more working days.");
        if (errors.Any) return errors.Problem();
        return await Handle(http, handler, id, (s, c) => CaseDecider.StartParallelReview(s, new StartParallelReview(request?.Participants, request?.OpinionDays), c), ct);
    }

    private static async Task<IResult> GiveOpinion(string id, OpinionRequest request, RequestActor actor, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Required(request.DepartmentCode, "departmentCode")
            .Require(request.Opinion is not null, "opinion", "agree, conditional or disagree.");
        if (errors.Any) return errors.Problem();
        // A department's opinion is given by its own staff.
        if (actor.DepartmentCode is { } dept && dept != request.DepartmentCode && !actor.IsInRole(Roles.Leader))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"Staff of {dept} cannot give the opinion of {request.DepartmentCode}.");
        return await Handle(http, handler, id, (s, c) => CaseDecider.GiveParallelOpinion(s,
            new GiveParallelOpinion(request.DepartmentCode!, request.Opinion!.Value, request.Comment ?? ""), c), ct);
    }

    private static async Task<IResult> HoldMeeting(string id, MeetingRequest request, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(request.HeldAt is not null, "heldAt", "Required.")
            .Require(request.Attendees is not null, "attendees", "The departments present (may be empty).");
        if (errors.Any) return errors.Problem();
        return await Handle(http, handler, id, (s, c) => CaseDecider.HoldJointMeeting(s, new HoldJointMeeting(request.HeldAt!.Value, request.Attendees!), c), ct);
    }

    private static async Task<IResult> Suspend(string id, SuspensionRequest request, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Required(request.Reason, "reason")
            .Require(request.ExpectedDays is > 0, "expectedDays", "1 or more working days.")
            .Required(request.ApprovedBy, "approvedBy");
        if (errors.Any) return errors.Problem();
        return await Handle(http, handler, id, (s, c) => CaseDecider.Suspend(s, new SuspendCase(request.Reason!, request.ExpectedDays!.Value, request.ApprovedBy!, request.Note ?? ""), c), ct);
    }

    private static Task<IResult> Resume(string id, CaseCommands handler, HttpContext http, CancellationToken ct) =>
        Handle(http, handler, id, (s, c) => CaseDecider.Resume(s, c), ct);

    private static async Task<IResult> Extend(string id, ExtensionRequest request, CaseCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(request.Days is not null, "days", "Working days.")
            .Required(request.ApprovedBy, "approvedBy").Required(request.Reason, "reason");
        if (errors.Any) return errors.Problem();
        return await Handle(http, handler, id, (s, c) => CaseDecider.Extend(s, new ExtendDeadline(request.Days!.Value, request.ApprovedBy!, request.Reason!), c), ct,
            body: done => done.Events.OfType<DeadlineExtended>().FirstOrDefault() is { } x
                ? new ExtensionResponse(done.Id, done.Version, done.Status, x.PromisedDeadline, x.StatutoryDeadline)
                : new ExtensionResponse(done.Id, done.Version, done.Status, null, null));
    }

    private static Task<IResult> IssueLicence(string id, LicenceRequest request, CaseCommands handler, HttpContext http, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.LicenceNumber)
            ? Task.FromResult(CommandResults.Invalid("licenceNumber", "Required."))
            : Handle(http, handler, id, (s, c) => CaseDecider.IssueLicence(s, new IssueLicence(request.LicenceNumber!, request.ValidUntil), c), ct);

    private static Task<IResult> Deliver(string id, DeliveryRequest request, CaseCommands handler, HttpContext http, CancellationToken ct) =>
        request.Method is null
            ? Task.FromResult(CommandResults.Invalid("method", "window, mail or electronic."))
            : Handle(http, handler, id, (s, c) => CaseDecider.Deliver(s, new DeliverLicence(request.Method.Value), c), ct);

    private static Task<IResult> Withdraw(string id, WithdrawalRequest request, RequestActor actor, CaseCommands handler, HttpContext http, CancellationToken ct) =>
        Handle(http, handler, id, (s, c) => CaseDecider.Withdraw(s, new WithdrawCase(request.Reason ?? ""), c), ct,
            s => CaseAccess.MayAct(actor, s.SubmittedBy, s.AgentStaffId));

    private static Task<IResult> Transfer(string id, TransferRequest request, CaseCommands handler, HttpContext http, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.ToHall)
            ? Task.FromResult(CommandResults.Invalid("toHall", "Required: the deciding hall."))
            : Handle(http, handler, id, (s, c) => CaseDecider.Transfer(s, new TransferCase(request.ToHall!, request.Reason ?? ""), c), ct);

    private static Task<IResult> PostCheck(string id, PostCheckRequest request, CaseCommands handler, HttpContext http, CancellationToken ct) =>
        request.Outcome is null
            ? Task.FromResult(CommandResults.Invalid("outcome", "confirmed or false."))
            : Handle(http, handler, id, (s, c) => CaseDecider.RecordPostCheck(s, new RecordPostCheck(request.Outcome.Value, request.Note ?? ""), c), ct);
}
