using GovEvents.Domain.Cases;
using Shouldly;

namespace GovEvents.Domain.Tests.Cases;

public sealed class QueryCodeTests
{
    private static readonly byte[] Salt = [.. Enumerable.Range(1, QueryCodeHash.SaltBytes).Select(i => (byte)i)];

    [Fact]
    public void A_query_code_matches_its_hash_and_no_other_code_does()
    {
        var hash = QueryCodeHash.Of("042137", Salt);
        hash.Matches("042137").ShouldBeTrue();
        hash.Matches("042138").ShouldBeFalse();
        hash.Matches("").ShouldBeFalse();
        hash.Hash.ShouldNotContain("042137");
    }

    [Fact]
    public void The_same_code_under_another_salt_hashes_differently() =>
        QueryCodeHash.Of("042137", Salt).Hash.ShouldNotBe(QueryCodeHash.Of("042137", new byte[QueryCodeHash.SaltBytes]).Hash);

    [Fact]
    public void A_damaged_hash_matches_nothing() =>
        new QueryCodeHash("zz", "zz").Matches("042137").ShouldBeFalse();
}
