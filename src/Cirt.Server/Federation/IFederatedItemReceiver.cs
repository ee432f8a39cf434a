using Cirt.Grains.Partners;

namespace Cirt.Server.Federation;

/// <summary>
/// Applies a verified incoming item of one kind (advisories, incidents) to our own records.
/// Deliver calls it only after the envelope, signature, sender, sequence, route and agreement have
/// passed. Applying must be idempotent (a resend after a crash applies the same item again): the
/// origin's version, or a note's id, decides whether anything changes.
/// </summary>
public interface IFederatedItemReceiver
{
    SharedItemKind Kind { get; }

    /// <param name="payload">The payload as the sender wrote it.</param>
    /// <param name="senderPartnerId">The registered partner that delivered it.</param>
    Task ApplyAsync(Cirt.Contracts.V1.FederatedPayload payload, string senderPartnerId, CancellationToken cancellationToken);
}
