namespace GovEvents.Domain.Catalogue;

public enum MatterCategory { Licensing, Penalty, Enforcement, Levy, Benefit, Inspection, Confirmation, Award, Adjudication, Other }
public enum MatterLevel { City, County, Town }
public enum ServiceObject { Person, Organisation, Both }
public enum Tier { Handler, Reviewer, Approver }

public sealed record MaterialSpec(string Code, string Name, bool Mandatory, bool Deferrable);
/// <summary>告知承诺: approved on the applicant's signed commitment, checked afterwards.</summary>
public sealed record CommitmentSpec(int PostCheckDays);
/// <summary>并联审批: participating departments give opinions within OpinionDays working days.</summary>
public sealed record ParallelSpec(IReadOnlyList<string> Participants, int OpinionDays)
{
    // Value equality over the list's items, not its reference.
    public bool Equals(ParallelSpec? other) =>
        other is not null && OpinionDays == other.OpinionDays && Participants.SequenceEqual(other.Participants);

    public override int GetHashCode() => HashCode.Combine(OpinionDays, Participants.Count);
}
/// <summary>A special procedure (特别程序) of the matter, such as site inspection or public notice.</summary>
public sealed record SpecialProcedure(string Code, string Name, string LegalBasis, bool CountsTowardLimit);

/// <summary>One version of a matter (事项) of the catalogue.</summary>
public sealed record MatterDefinition(
    string Code,
    string Name,
    MatterCategory Category,
    string DepartmentCode,
    string LegalBasis,
    MatterLevel Level,
    ServiceObject ServiceObject,
    int StatutoryDays,
    int PromisedDays,
    int Tiers,
    IReadOnlyList<MaterialSpec> Materials,
    IReadOnlyList<string> FeeItemCodes,
    bool OnTheSpot,
    bool InstantApproval,
    CommitmentSpec? Commitment,
    ParallelSpec? Parallel,
    IReadOnlyList<SpecialProcedure> SpecialProcedures)
{
    /// <summary>The signing tiers in order: 1 = approver; 2 = handler, approver; 3 = handler, reviewer, approver.</summary>
    public IReadOnlyList<Tier> TierOrder => Tiers switch
    {
        1 => [Tier.Approver],
        2 => [Tier.Handler, Tier.Approver],
        _ => [Tier.Handler, Tier.Reviewer, Tier.Approver],
    };

    /// <summary>
    /// Value equality, lists compared item by item: a revision identical to the current version is
    /// no revision (a record's generated equality would compare the lists' references).
    /// </summary>
    public bool Equals(MatterDefinition? other) =>
        other is not null
        && (Code, Name, Category, DepartmentCode, LegalBasis, Level, ServiceObject, StatutoryDays, PromisedDays, Tiers, OnTheSpot, InstantApproval, Commitment, Parallel)
        == (other.Code, other.Name, other.Category, other.DepartmentCode, other.LegalBasis, other.Level, other.ServiceObject, other.StatutoryDays,
            other.PromisedDays, other.Tiers, other.OnTheSpot, other.InstantApproval, other.Commitment, other.Parallel)
        && Materials.SequenceEqual(other.Materials) && FeeItemCodes.SequenceEqual(other.FeeItemCodes)
        && SpecialProcedures.SequenceEqual(other.SpecialProcedures);

    public override int GetHashCode() => HashCode.Combine(Code, Name, DepartmentCode, StatutoryDays, PromisedDays, Tiers, Materials.Count);

    /// <summary>Joint or unified handling (ALL art. 26/42) allows a longer extension.</summary>
    public bool JointHandling => Parallel is not null;

    /// <summary>Field errors of an invalid definition (the API's 400), empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        if (string.IsNullOrWhiteSpace(Code)) Add("code", "A matter needs a code.");
        if (string.IsNullOrWhiteSpace(Name)) Add("name", "A matter needs a name.");
        if (string.IsNullOrWhiteSpace(DepartmentCode)) Add("departmentCode", "A matter belongs to a department.");
        if (string.IsNullOrWhiteSpace(LegalBasis)) Add("legalBasis", "A matter needs its legal basis.");
        if (StatutoryDays is < 1 or > 366) Add("statutoryDays", "The statutory limit is 1 to 366 working days.");
        if (PromisedDays < 0 || PromisedDays > StatutoryDays) Add("promisedDays", "The promised limit is between 0 and the statutory limit.");
        if (Tiers is < 1 or > 3) Add("tiers", "A matter has 1 to 3 signing tiers.");
        if (Materials.GroupBy(m => m.Code).Any(g => g.Count() > 1)) Add("materials", "Material codes must be unique.");
        if (Materials.Any(m => string.IsNullOrWhiteSpace(m.Code))) Add("materials", "Every material needs a code.");
        if (Commitment is { PostCheckDays: < 1 }) Add("commitment.postCheckDays", "The post-check is due 1 or more working days after approval.");
        if (Parallel is not null && (Parallel.Participants.Count == 0 || Parallel.OpinionDays < 1))
            Add("parallel", "Parallel review needs participants and 1 or more opinion days.");
        if (SpecialProcedures.GroupBy(p => p.Code).Any(g => g.Count() > 1)) Add("specialProcedures", "Special procedure codes must be unique.");
        return errors;
    }
}

/// <summary>An event of a matter's stream in the catalogue.</summary>
public interface IMatterEvent
{
    string Code { get; }
}

public sealed record MatterPublished(string Code, int Version, MatterDefinition Definition, DateTimeOffset PublishedAt) : IMatterEvent;
public sealed record MatterRevised(string Code, int Version, MatterDefinition Definition, DateTimeOffset RevisedAt) : IMatterEvent;
public sealed record MatterRevoked(string Code, int Version, DateTimeOffset RevokedAt) : IMatterEvent;

/// <summary>The matter stream folded: its latest version and whether it still takes applications.</summary>
public sealed record Matter(MatterDefinition? Definition = null, int Version = 0, bool Revoked = false)
{
    public static string StreamId(string code) => $"matter-{code}";

    public static Matter Evolve(Matter state, object e) => e switch
    {
        MatterPublished p => state with { Definition = p.Definition, Version = p.Version },
        MatterRevised r => state with { Definition = r.Definition, Version = r.Version },
        MatterRevoked => state with { Revoked = true },
        _ => state,
    };

    public static Decision Publish(Matter state, MatterDefinition definition, DateTimeOffset now) =>
        state.Version > 0
            ? Decision.Refuse(Rules.MatterExists, $"Matter {definition.Code} is already in the catalogue; revise it instead.")
            : Decision.Of(new MatterPublished(definition.Code, 1, definition, now));

    public static Decision Revise(Matter state, MatterDefinition definition, DateTimeOffset now)
    {
        if (state.Revoked) return Decision.Refuse(Rules.MatterRevoked, $"Matter {definition.Code} is revoked.");
        if (state.Definition == definition) return Decision.Nothing;
        return Decision.Of(new MatterRevised(definition.Code, state.Version + 1, definition, now));
    }

    public static Decision Revoke(Matter state, DateTimeOffset now) =>
        state.Revoked ? Decision.Nothing : Decision.Of(new MatterRevoked(state.Definition!.Code, state.Version, now));
}

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class MatterEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(MatterPublished), "matter_published"),
        (typeof(MatterRevised), "matter_revised"),
        (typeof(MatterRevoked), "matter_revoked"),
    ];
}
