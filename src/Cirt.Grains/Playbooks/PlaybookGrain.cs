using Cirt.Grains.Common;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Playbooks;

public sealed class PlaybookGrain(
    [PersistentState("playbook", StorageNames.Cirt)] IPersistentState<PlaybookState> state,
    CirtClock clock,
    ILogger<PlaybookGrain> logger) : Grain, IPlaybookGrain
{
    private string RsitClass => this.GetPrimaryKeyString();

    public Task<Playbook?> GetAsync() => Task.FromResult(state.State.Playbook);

    public async Task<Playbook> SetAsync(PlaybookStep[] steps, long expectedVersion, string actor)
    {
        var current = state.State.Playbook;
        Versioning.Check("Playbook", RsitClass, expectedVersion, current?.Version ?? 0);
        var playbook = new Playbook(RsitClass, steps, (current?.Version ?? 0) + 1, clock.GetUtcNow(), actor);
        state.State.Playbook = playbook;
        await state.WriteStateAsync();
        logger.LogInformation("Playbook {RsitClass} set by {Actor}: {Steps} step(s)", RsitClass, actor, steps.Length);
        return playbook;
    }
}
