using Cirt.Grains.Stakeholders;

namespace Cirt.Grains.Tests.Stakeholders;

public sealed class StakeholderRulesTests
{
    // NIS2 Art. 3: trust service providers are essential or important entities, so their Art. 23(4)(b) clock can run.
    [Theory]
    [InlineData(Nis2EntityClass.Essential)]
    [InlineData(Nis2EntityClass.Important)]
    public void ATrustServiceProviderIsAnEssentialOrImportantEntity(Nis2EntityClass entityClass)
    {
        Assert.Null(StakeholderRules.RefuseTrustServiceProvider(true, entityClass));
    }

    [Fact]
    public void ATrustServiceProviderOutsideNis2IsRefusedWithTheWayOut()
    {
        Assert.Equal("a trust service provider is an essential or important entity under NIS2: set nis2_entity_class to ESSENTIAL or IMPORTANT",
            StakeholderRules.RefuseTrustServiceProvider(true, Nis2EntityClass.None));
    }

    [Theory]
    [InlineData(Nis2EntityClass.None)]
    [InlineData(Nis2EntityClass.Essential)]
    public void AnyEntityClassWillDoForOtherStakeholders(Nis2EntityClass entityClass)
    {
        Assert.Null(StakeholderRules.RefuseTrustServiceProvider(false, entityClass));
    }
}
