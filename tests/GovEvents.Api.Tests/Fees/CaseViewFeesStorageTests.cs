using System.Text;
using GovEvents.Store.Serialization;
using GovEvents.Projections.Cases;
using Shouldly;

namespace GovEvents.Api.Tests.Fees;

/// <summary>The stored case view (jsonb, Newtonsoft) keeps each case's fees to itself.</summary>
public sealed class CaseViewFeesStorageTests
{
    [Fact]
    public void Reading_a_stored_view_with_fees_leaves_the_fees_of_a_new_view_at_zero()
    {
        var serializer = new NewtonsoftSerializer();
        var paid = new CaseView { Id = "c-1", Fees = new FeesView(150m, 100m, 0m, 50m) { NoticeNumber = "N-1" } };

        var read = serializer.FromJson<CaseView>(new MemoryStream(Encoding.UTF8.GetBytes(serializer.ToJson(paid))));

        read.Fees.ShouldBe(paid.Fees with { Items = read.Fees.Items, Payments = read.Fees.Payments, Waivers = read.Fees.Waivers, Refunds = read.Fees.Refunds });
        var fresh = new CaseView().Fees;
        (fresh.Assessed, fresh.Paid, fresh.Balance, fresh.NoticeNumber).ShouldBe((0m, 0m, 0m, (string?)null));
    }
}
