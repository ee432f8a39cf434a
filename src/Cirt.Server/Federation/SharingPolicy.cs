using System.Text;
using Cirt.Grains.Incidents;
using Cirt.Grains.Partners;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// The one place that decides what crosses the border, in both directions. Default-deny: nothing
/// leaves or is accepted without an agreement that names its kind of item.
/// <para>
/// TLP 2.0 (FIRST), as it applies between CIRTs: TLP:CLEAR may go anywhere. TLP:GREEN stays within
/// the community (partner CIRTs and their constituencies), never on public channels. TLP:AMBER is for
/// the receiving organisation and, on a need-to-know basis, its clients. TLP:AMBER+STRICT is for the
/// receiving organisation alone, so it goes only to a partner the item names, under an agreement that
/// allows TLP:AMBER. TLP:RED is for the people it was given to and goes no further: it never leaves
/// automatically, whatever an agreement says. An agreement stops at TLP:AMBER: one recorded higher is
/// read as TLP:AMBER.
/// </para>
/// <para>
/// Items are never passed on to an instance they came through, and an item received from elsewhere
/// is passed on only when its origin's label allows it to travel beyond the receiver (TLP:CLEAR and
/// TLP:GREEN), marked as re-shared. Notes and status changes are the joint work on a shared incident:
/// they may go back to the incident's origin.
/// </para>
/// </summary>
public static class SharingPolicy
{
    public const string EmailMarker = "[redacted e-mail]";
    public const string PhoneMarker = "[redacted phone]";
    public const string IpMarker = "[redacted IP]";

    /// <summary>What an organisation's name becomes in free text when the agreement does not let names leave.</summary>
    public const string OrganisationMarker = "[organisation]";

    /// <summary>
    /// What of <paramref name="payload"/> (built whole from our records by <see cref="SharedItems"/>)
    /// may leave for <paramref name="partner"/>: refused, held for a coordinator (personal data found),
    /// or sent, redacted as the agreement requires. Whether the partner is suspended does not matter
    /// here (its messages wait in the outbox). <paramref name="payload"/> is never modified.
    /// </summary>
    /// <exception cref="ArgumentException">The agreement allows pseudonymised data and the context's key is too short.</exception>
    public static SharingDecision Decide(Proto.FederatedPayload payload, Partner partner, EgressContext context)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(context);
        if (RefusalToSend(payload, partner, context) is { } reason)
        {
            return new SharingDecision.Refused(reason);
        }

        var agreement = partner.Agreement;
        var pseudonymKey = agreement.PersonalData == PersonalDataPolicy.Pseudonymised ? context.PseudonymKey ?? [] : null;
        if (pseudonymKey is not null && pseudonymKey.Length < Pseudonyms.MinimumKeyLength)
        {
            throw new ArgumentException($"The agreement with {partner.Id} allows pseudonymised data: the pseudonym key needs at least {Pseudonyms.MinimumKeyLength} bytes.", nameof(context));
        }

        var leaving = payload.Clone();
        RedactByAgreement(leaving, agreement);
        if (leaving.Origin.InstanceId != context.LocalInstanceId && !ReturnsToOrigin(leaving, partner))
        {
            leaving.Origin.Reshared = true;
        }

        return Screen(leaving, pseudonymKey);
    }

    /// <summary>
    /// Null when we accept <paramref name="payload"/> from <paramref name="sender"/> under our own
    /// record of the agreement with it; else why not (the caller answers PERMISSION_DENIED). Notes and
    /// status changes on our own incidents come back with us as their origin and are accepted; an item
    /// published or withdrawn with us as its origin, or that already passed through us, is a loop.
    /// </summary>
    public static string? RefusalOnReceipt(Proto.FederatedPayload payload, Partner sender, string localInstanceId)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentException.ThrowIfNullOrEmpty(localInstanceId);
        var who = Describe(sender);
        if (sender.Status == PartnerStatus.Suspended)
        {
            return $"{who} is suspended: nothing is accepted from it until a coordinator resumes the exchange.";
        }

        if (ShapeProblem(payload) is { } shape)
        {
            return $"The message is malformed: {shape}.";
        }

        var tlp = LabelOf(payload);
        if (payload.Action == Proto.OutboxAction.Publish && tlp is null)
        {
            return "It has no TLP label: nothing is accepted unlabelled.";
        }

        if (tlp == Tlp.Red)
        {
            return "It is TLP:RED: for its named recipients only, it should never have left its origin.";
        }

        var agreement = sender.Agreement;
        if (agreement?.Kinds is null or [])
        {
            return $"Our agreement with {who} allows nothing: it names no kind of item.";
        }

        var kind = KindOf(payload);
        if (!agreement.Kinds.Contains(kind))
        {
            return $"Our agreement with {who} does not cover {Plural(kind)}.";
        }

        var origin = payload.Origin;
        if (!IsFollowUp(payload))
        {
            if (origin.InstanceId == localInstanceId)
            {
                return "A loop: it came from us. Only an item's origin publishes or withdraws it, and that is this instance.";
            }

            if (origin.Route.Contains(localInstanceId))
            {
                return $"A loop: it already passed through this instance (route {RouteOf(origin)}).";
            }

            if (origin.InstanceId != sender.Id && !origin.Reshared)
            {
                return $"It names {origin.InstanceId} as its origin but comes from {sender.Id} without being marked as passed on.";
            }
        }

        if (tlp is { } label)
        {
            if (origin.InstanceId != sender.Id && origin.InstanceId != localInstanceId && label > Tlp.Green)
            {
                return $"It is TLP:{TlpLabels.Of(label)} from {origin.InstanceId}, passed on by {sender.Id}: only TLP:CLEAR and TLP:GREEN may be passed on.";
            }

            if (Ceiling(agreement) is not { } ceiling)
            {
                return $"Our agreement with {who} names no TLP label it may send us.";
            }

            if (label == Tlp.AmberStrict && ceiling != Tlp.Amber)
            {
                return $"It is TLP:AMBER+STRICT: our agreement with {who} accepts up to TLP:{TlpLabels.Of(ceiling)}, and TLP:AMBER+STRICT only under one that accepts TLP:AMBER.";
            }

            if (label != Tlp.AmberStrict && label > ceiling)
            {
                return $"It is TLP:{TlpLabels.Of(label)}, above what our agreement with {who} accepts (up to TLP:{TlpLabels.Of(ceiling)}).";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether our coordinators may re-publish a received item of origin label <paramref name="tlp"/>
    /// to our own constituency: null when they may, else why not. We are the receiving organisation;
    /// TLP:AMBER lets it inform its clients (our constituents) on a need-to-know basis, TLP:GREEN and
    /// TLP:CLEAR further still. TLP:AMBER+STRICT stays with the receiving organisation itself and
    /// TLP:RED with the people it was given to.
    /// </summary>
    public static string? RefusalToRepublish(Tlp tlp) => Cirt.Grains.Advisories.AdvisoryRules.RefusalToRepublish(tlp);

    private static string? RefusalToSend(Proto.FederatedPayload payload, Partner partner, EgressContext context)
    {
        if (ShapeProblem(payload) is { } shape)
        {
            return $"The message is malformed: {shape}.";
        }

        var who = Describe(partner);
        var tlp = payload.Action == Proto.OutboxAction.Publish ? LabelOf(payload) : context.ItemTlp;
        if (payload.Action == Proto.OutboxAction.Publish && tlp is null)
        {
            return "It has no TLP label: nothing leaves unlabelled.";
        }

        if (tlp == Tlp.Red)
        {
            return "It is TLP:RED: for its named recipients only, it never leaves this CIRT.";
        }

        var agreement = partner.Agreement;
        if (agreement?.Kinds is null or [])
        {
            return $"There is no agreement with {who} that allows anything: it names no kind of item.";
        }

        var kind = KindOf(payload);
        if (!agreement.Kinds.Contains(kind))
        {
            return $"The agreement with {who} does not cover {Plural(kind)}.";
        }

        var origin = payload.Origin;
        var returnsToOrigin = ReturnsToOrigin(payload, partner);
        if (!returnsToOrigin)
        {
            if (origin.InstanceId == partner.Id)
            {
                return $"It came from {partner.Id}: an item never goes back to its origin.";
            }

            if (origin.Route.Contains(partner.Id))
            {
                return $"It came through {partner.Id}: an item never goes to an instance on its route ({RouteOf(origin)}).";
            }
        }

        if (tlp is { } label)
        {
            if (origin.InstanceId != context.LocalInstanceId && !returnsToOrigin && label > Tlp.Green)
            {
                return $"It was received from {origin.InstanceId} as TLP:{TlpLabels.Of(label)}: only TLP:CLEAR and TLP:GREEN items may be passed on to other partners.";
            }

            if (Ceiling(agreement) is not { } ceiling)
            {
                return $"The agreement with {who} names no TLP label it may receive.";
            }

            if (label == Tlp.AmberStrict)
            {
                if (ceiling != Tlp.Amber)
                {
                    return $"It is TLP:AMBER+STRICT: the agreement with {who} allows up to TLP:{TlpLabels.Of(ceiling)}, and TLP:AMBER+STRICT leaves only under one that allows TLP:AMBER.";
                }

                if (!context.NamesPartner)
                {
                    return $"It is TLP:AMBER+STRICT, for the receiving organisation only: it leaves only for a partner it names, and it does not name {who}.";
                }
            }
            else if (label > ceiling)
            {
                return $"It is TLP:{TlpLabels.Of(label)}, above what the agreement with {who} allows (up to TLP:{TlpLabels.Of(ceiling)}).";
            }
        }

        return payload.Action == Proto.OutboxAction.Publish ? SectorRefusal(payload, agreement, who) : null;
    }

    private static string? SectorRefusal(Proto.FederatedPayload payload, SharingAgreement agreement, string who)
    {
        if (agreement.AllSectors)
        {
            return null;
        }

        var sectors = payload.ItemCase == Proto.FederatedPayload.ItemOneofCase.Advisory ? payload.Advisory.Sectors : payload.Incident.Sectors;
        var covered = agreement.Sectors ?? [];
        if (covered.Length == 0)
        {
            return $"The agreement with {who} covers no sector.";
        }

        if (sectors.Count == 0)
        {
            return $"It names no sector, and the agreement with {who} covers only some ({string.Join(", ", covered)}).";
        }

        return sectors.Any(s => covered.Contains(s, StringComparer.OrdinalIgnoreCase))
            ? null
            : $"Its sectors ({string.Join(", ", sectors)}) are not among those the agreement with {who} covers ({string.Join(", ", covered)}).";
    }

    /// <summary>Takes out what the agreement does not let leave: indicators, the names of affected organisations.</summary>
    private static void RedactByAgreement(Proto.FederatedPayload payload, SharingAgreement agreement)
    {
        switch (payload.ItemCase)
        {
            case Proto.FederatedPayload.ItemOneofCase.Advisory:
                if (!agreement.Indicators)
                {
                    payload.Advisory.Indicators.Clear();
                }

                if (!agreement.AffectedOrganisationNames)
                {
                    UnnameOrganisations(payload, payload.Advisory.AffectedOrganisations);
                }

                break;
            case Proto.FederatedPayload.ItemOneofCase.Incident:
                if (!agreement.Indicators)
                {
                    payload.Incident.Indicators.Clear();
                }

                if (!agreement.AffectedOrganisationNames)
                {
                    UnnameOrganisations(payload, payload.Incident.AffectedOrganisations);
                }

                break;
        }
    }

    /// <summary>
    /// Takes the organisations' names out of the list and out of every free text that leaves with it
    /// ("Reported by gridco" in a timeline entry names it as surely as the list does): each becomes
    /// <see cref="OrganisationMarker"/>, matched as a whole word, whatever its case.
    /// </summary>
    private static void UnnameOrganisations(Proto.FederatedPayload payload, Google.Protobuf.Collections.RepeatedField<string> organisations)
    {
        var names = organisations.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(n => n.Length).ToArray();
        organisations.Clear();
        if (names.Length == 0)
        {
            return;
        }

        var pattern = new System.Text.RegularExpressions.Regex(
            @"(?<![\p{L}\p{N}_.-])(?:" + string.Join('|', names.Select(System.Text.RegularExpressions.Regex.Escape)) + @")(?![\p{L}\p{N}_-])",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
        foreach (var text in PayloadTexts.Of(payload))
        {
            if (pattern.IsMatch(text.Text))
            {
                text.Replace(pattern.Replace(text.Text, OrganisationMarker));
            }
        }
    }

    /// <summary>
    /// Scans the free text of what leaves against the indicators that leave with it. IP addresses
    /// become pseudonyms when a key is given; every other finding holds the message, and the
    /// redacted version has a marker in its place.
    /// </summary>
    private static SharingDecision Screen(Proto.FederatedPayload leaving, byte[]? pseudonymKey)
    {
        var listed = ListedIndicators.Of(PayloadTexts.IndicatorsOf(leaving));
        var findings = new List<Proto.PersonalDataFinding>();
        foreach (var text in PayloadTexts.Of(leaving))
        {
            var matches = PersonalDataScanner.Scan(text.Text, listed);
            if (matches.Count == 0)
            {
                continue;
            }

            var redacted = new StringBuilder(text.Text.Length);
            var at = 0;
            foreach (var match in matches)
            {
                redacted.Append(text.Text, at, match.Offset - at);
                if (match.Kind == Proto.PersonalDataKind.IpAddress && pseudonymKey is not null)
                {
                    redacted.Append(Pseudonyms.Of(pseudonymKey, match.Canonical));
                }
                else
                {
                    findings.Add(new Proto.PersonalDataFinding { Field = text.Field, Kind = match.Kind, Match = match.Value, Offset = match.Offset });
                    redacted.Append(MarkerOf(match.Kind));
                }

                at = match.End;
            }

            redacted.Append(text.Text, at, text.Text.Length - at);
            text.Replace(redacted.ToString());
        }

        return findings.Count == 0 ? new SharingDecision.Send(leaving) : new SharingDecision.Held(leaving, findings);
    }

    private static string MarkerOf(Proto.PersonalDataKind kind) => kind switch
    {
        Proto.PersonalDataKind.EmailAddress => EmailMarker,
        Proto.PersonalDataKind.PhoneNumber => PhoneMarker,
        _ => IpMarker,
    };

    /// <summary>What is wrong with the payload's form (item, action and kind must agree), or null.</summary>
    private static string? ShapeProblem(Proto.FederatedPayload payload)
    {
        if (payload.Origin is null || string.IsNullOrEmpty(payload.Origin.InstanceId))
        {
            return "it carries no origin";
        }

        var (action, kinds) = payload.ItemCase switch
        {
            Proto.FederatedPayload.ItemOneofCase.Advisory => (Proto.OutboxAction.Publish, new[] { Proto.SharedItemKind.Advisory }),
            Proto.FederatedPayload.ItemOneofCase.Incident => (Proto.OutboxAction.Publish, [Proto.SharedItemKind.Incident]),
            Proto.FederatedPayload.ItemOneofCase.Note => (Proto.OutboxAction.Note, [Proto.SharedItemKind.Incident]),
            Proto.FederatedPayload.ItemOneofCase.Status => (Proto.OutboxAction.Status, [Proto.SharedItemKind.Incident]),
            Proto.FederatedPayload.ItemOneofCase.Withdrawal => (Proto.OutboxAction.Withdraw, [Proto.SharedItemKind.Advisory, Proto.SharedItemKind.Incident]),
            _ => (Proto.OutboxAction.Unspecified, []),
        };
        if (kinds.Length == 0)
        {
            return "it carries no item";
        }

        return payload.Action == action && kinds.Contains(payload.Kind)
            ? null
            : $"a {payload.ItemCase.ToString().ToLowerInvariant()} travels as action {action} of kind {string.Join(" or ", kinds)}, not {payload.Action} of kind {payload.Kind}";
    }

    /// <summary>The item's own label (advisories and incidents), or null when it has none or carries none.</summary>
    private static Tlp? LabelOf(Proto.FederatedPayload payload)
    {
        var label = payload.ItemCase switch
        {
            Proto.FederatedPayload.ItemOneofCase.Advisory => payload.Advisory.Tlp,
            Proto.FederatedPayload.ItemOneofCase.Incident => payload.Incident.Tlp,
            _ => Proto.Tlp.Unspecified,
        };
        return label != Proto.Tlp.Unspecified && Enum.IsDefined(label) ? (Tlp)(int)label : null;
    }

    /// <summary>The highest label the agreement lets through: TLP:AMBER at most; null when it names none.</summary>
    private static Tlp? Ceiling(SharingAgreement agreement) => agreement.MaxTlp switch
    {
        Tlp.Clear or Tlp.Green or Tlp.Amber => agreement.MaxTlp,
        Tlp.AmberStrict or Tlp.Red => Tlp.Amber,
        _ => null,
    };

    private static SharedItemKind KindOf(Proto.FederatedPayload payload) => (SharedItemKind)(int)payload.Kind;

    private static bool IsFollowUp(Proto.FederatedPayload payload) =>
        payload.Action is Proto.OutboxAction.Note or Proto.OutboxAction.Status;

    /// <summary>A note or status change on a partner's own incident, going back to it.</summary>
    private static bool ReturnsToOrigin(Proto.FederatedPayload payload, Partner partner) =>
        IsFollowUp(payload) && payload.Origin.InstanceId == partner.Id;

    private static string RouteOf(Proto.ItemOrigin origin) => string.Join(" → ", origin.Route);

    private static string Plural(SharedItemKind kind) => kind == SharedItemKind.Incident ? "incidents" : "advisories";

    private static string Describe(Partner partner) =>
        string.IsNullOrWhiteSpace(partner.Name) ? partner.Id : $"{partner.Name} ({partner.Id})";
}
