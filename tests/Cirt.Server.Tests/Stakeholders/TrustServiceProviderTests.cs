using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Stakeholders;

/// <summary>NIS2 Art. 23(4)(b): whether a stakeholder is a trust service provider is part of its profile.</summary>
[Collection(ServerCollection.Name)]
public sealed class TrustServiceProviderTests(ServerFixture server)
{
    [Fact]
    public async Task ATrustServiceProviderIsStoredReadAndListedAsOne()
    {
        var provider = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
        provider.TrustServiceProvider = true;

        var created = (await server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = provider })).Stakeholder;

        Assert.True(created.TrustServiceProvider);
        Assert.True((await server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = created.Id })).Stakeholder.TrustServiceProvider);
        var listed = await server.Stakeholders().ListStakeholdersAsync(new ListStakeholdersRequest { SectorCode = "DIGITAL_INFRASTRUCTURE", PageSize = 500 });
        Assert.True(Assert.Single(listed.Stakeholders, s => s.Id == created.Id).TrustServiceProvider);

        created.TrustServiceProvider = false;
        var updated = (await server.Stakeholders().UpdateStakeholderAsync(new UpdateStakeholderRequest { Stakeholder = created })).Stakeholder;
        Assert.False(updated.TrustServiceProvider);
    }

    // NIS2 Art. 3: a trust service provider is an essential or important entity.
    [Fact]
    public async Task ATrustServiceProviderOutsideNis2IsRefusedNamingTheField()
    {
        var provider = TestStakeholders.NewStakeholder("DIGITAL_INFRASTRUCTURE");
        provider.TrustServiceProvider = true;
        provider.Nis2EntityClass = Nis2EntityClass.None;

        var fields = await RpcAssert.InvalidFields(() => server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = provider }).ResponseAsync);

        Assert.Equal(["stakeholder.trust_service_provider"], fields);
        await RpcAssert.FailsWith(Grpc.Core.StatusCode.NotFound,
            () => server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = provider.Id }).ResponseAsync);
    }
}
