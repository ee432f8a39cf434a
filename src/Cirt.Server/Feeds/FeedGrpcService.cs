using Cirt.Grains.Ingest.Feeds;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Ingest;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Feeds;

/// <summary>cirt.v1.FeedService: the feeds that may publish automated events and the keys granted each.</summary>
public sealed class FeedGrpcService(IGrainFactory grains, FeedDirectory directory, IIngestStateStore ingest) : Proto.FeedService.FeedServiceBase
{
    private IFeedRegistryGrain Registry => grains.GetGrain<IFeedRegistryGrain>(IFeedRegistryGrain.Key);

    public override async Task<Proto.RegisterFeedResponse> RegisterFeed(Proto.RegisterFeedRequest request, ServerCallContext context)
    {
        var settings = FeedMapping.ToDomain(request.Settings);
        var v = new Violations();
        Add(v, FeedRules.NameProblems(request.Name, "name"));
        Add(v, FeedRules.SettingsProblems(settings, "settings"));
        v.ThrowIfAny();
        await EnsureStakeholdersExistAsync(settings);
        var feed = await Changing(Registry.RegisterAsync(request.Name, settings, context.Principal().Actor));
        return new Proto.RegisterFeedResponse { Feed = FeedMapping.ToProto(feed) };
    }

    public override async Task<Proto.UpdateFeedResponse> UpdateFeed(Proto.UpdateFeedRequest request, ServerCallContext context)
    {
        var settings = FeedMapping.ToDomain(request.Settings);
        var v = new Violations();
        Add(v, FeedRules.NameProblems(request.Name, "name"));
        Add(v, FeedRules.SettingsProblems(settings, "settings"));
        if (request.ExpectedVersion < 0)
        {
            v.Add("expected_version", "must not be negative (0 overwrites whatever is there)");
        }

        v.ThrowIfAny();
        await EnsureStakeholdersExistAsync(settings);
        var feed = await Changing(Registry.UpdateAsync(request.Name, settings, request.ExpectedVersion, context.Principal().Actor));
        return new Proto.UpdateFeedResponse { Feed = FeedMapping.ToProto(feed) };
    }

    public override async Task<Proto.GrantFeedResponse> GrantFeed(Proto.GrantFeedRequest request, ServerCallContext context)
    {
        ValidateNameAndKey(request.Name, request.KeyId);
        var key = await grains.GetGrain<IApiKeyGrain>(request.KeyId).GetAsync() ?? RpcErrors.NotFound<ApiKeyInfo>("API key", request.KeyId);
        if (key.IsRevoked)
        {
            RpcErrors.Throw(StatusCode.FailedPrecondition, $"API key {request.KeyId} ({key.Principal.Actor}) is revoked: it publishes nothing.");
        }

        var feed = await Changing(Registry.GrantAsync(request.Name, key.Principal, context.Principal().Actor));
        return new Proto.GrantFeedResponse { Feed = FeedMapping.ToProto(feed) };
    }

    public override async Task<Proto.RevokeFeedGrantResponse> RevokeFeedGrant(Proto.RevokeFeedGrantRequest request, ServerCallContext context)
    {
        ValidateNameAndKey(request.Name, request.KeyId);
        var feed = await Changing(Registry.RevokeAsync(request.Name, request.KeyId, context.Principal().Actor));
        return new Proto.RevokeFeedGrantResponse { Feed = FeedMapping.ToProto(feed) };
    }

    public override async Task<Proto.SuspendFeedResponse> SuspendFeed(Proto.SuspendFeedRequest request, ServerCallContext context)
    {
        var v = new Violations();
        Add(v, FeedRules.NameProblems(request.Name, "name"));
        Add(v, FeedRules.ReasonProblems(request.Reason, "reason"));
        v.ThrowIfAny();
        var feed = await Changing(Registry.SuspendAsync(request.Name, request.Reason, context.Principal().Actor));
        return new Proto.SuspendFeedResponse { Feed = FeedMapping.ToProto(feed) };
    }

    public override async Task<Proto.ResumeFeedResponse> ResumeFeed(Proto.ResumeFeedRequest request, ServerCallContext context)
    {
        ValidateName(request.Name);
        var feed = await Changing(Registry.ResumeAsync(request.Name, context.Principal().Actor));
        return new Proto.ResumeFeedResponse { Feed = FeedMapping.ToProto(feed) };
    }

    public override async Task<Proto.ListFeedsResponse> ListFeeds(Proto.ListFeedsRequest request, ServerCallContext context)
    {
        var response = new Proto.ListFeedsResponse();
        response.Feeds.AddRange((await Registry.ListAsync()).Select(FeedMapping.ToProto));
        return response;
    }

    public override async Task<Proto.GetFeedResponse> GetFeed(Proto.GetFeedRequest request, ServerCallContext context)
    {
        ValidateName(request.Name);
        var feed = await Registry.GetAsync(request.Name) ?? RpcErrors.NotFound<Feed>("Feed", request.Name);
        var totals = await ingest.TotalsAsync(context.CancellationToken);
        var stats = totals.Feeds.Where(f => f.Feed == feed.Name).Select(f => IngestMapping.ToProto(f.Feed, f.Totals)).FirstOrDefault()
                    ?? new Proto.FeedStats { Feed = feed.Name };
        return new Proto.GetFeedResponse { Feed = FeedMapping.ToProto(feed), Stats = stats };
    }

    /// <summary>Makes a change and tells the ingest path, which reads the registry again on its next batch.</summary>
    private async Task<Feed> Changing(Task<Feed> change)
    {
        try
        {
            return await change;
        }
        finally
        {
            // Also after a refusal: cheap, and a change stored before a failure is then never missed.
            directory.Changed();
        }
    }

    private async Task EnsureStakeholdersExistAsync(FeedSettings settings)
    {
        foreach (var id in settings.WidenedStakeholderIds.Prepend(settings.OwnerStakeholderId).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (await grains.GetGrain<IStakeholderGrain>(id).GetAsync() is null)
            {
                RpcErrors.NotFound("Stakeholder", id);
            }
        }
    }

    private static void ValidateName(string name)
    {
        var v = new Violations();
        Add(v, FeedRules.NameProblems(name, "name"));
        v.ThrowIfAny();
    }

    private static void ValidateNameAndKey(string name, string keyId)
    {
        var v = new Violations();
        Add(v, FeedRules.NameProblems(name, "name"));
        if (!ApiKeyToken.IsKeyId(keyId))
        {
            v.Add("key_id", "must be the 16 hex digits of a key id (see cirt keys list)");
        }

        v.ThrowIfAny();
    }

    private static void Add(Violations v, IEnumerable<(string Field, string Problem)> problems)
    {
        foreach (var (field, problem) in problems)
        {
            v.Add(field, problem);
        }
    }
}
