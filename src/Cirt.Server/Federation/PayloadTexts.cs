using Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// The free text a payload carries, where people may have written personal data: an advisory's
/// title, summary, affected products, recommended actions and indicator comments; an incident's
/// title, shared timeline and indicator comments; a note's text; a withdrawal's or a status
/// change's reason. Codes (TLP, RSIT, sectors, CVE ids) and indicator values are not free text.
/// </summary>
public static class PayloadTexts
{
    /// <summary>The free-text fields of <paramref name="payload"/>, in field order; replacing writes into it.</summary>
    public static IReadOnlyList<PayloadText> Of(FederatedPayload payload)
    {
        var texts = new List<PayloadText>();
        switch (payload.ItemCase)
        {
            case FederatedPayload.ItemOneofCase.Advisory:
                var advisory = payload.Advisory;
                texts.Add(new("title", advisory.Title, t => advisory.Title = t));
                texts.Add(new("summary", advisory.Summary, t => advisory.Summary = t));
                AddList(texts, "affected_products", advisory.AffectedProducts);
                AddList(texts, "recommended_actions", advisory.RecommendedActions);
                AddComments(texts, advisory.Indicators);
                break;
            case FederatedPayload.ItemOneofCase.Incident:
                var incident = payload.Incident;
                texts.Add(new("title", incident.Title, t => incident.Title = t));
                for (var i = 0; i < incident.Timeline.Count; i++)
                {
                    var entry = incident.Timeline[i];
                    texts.Add(new($"timeline[{i}].text", entry.Text, t => entry.Text = t));
                }

                AddComments(texts, incident.Indicators);
                break;
            case FederatedPayload.ItemOneofCase.Note:
                var note = payload.Note;
                texts.Add(new("text", note.Text, t => note.Text = t));
                break;
            case FederatedPayload.ItemOneofCase.Withdrawal:
                var withdrawal = payload.Withdrawal;
                texts.Add(new("reason", withdrawal.Reason, t => withdrawal.Reason = t));
                break;
            case FederatedPayload.ItemOneofCase.Status:
                var status = payload.Status;
                texts.Add(new("reason", status.Reason, t => status.Reason = t));
                break;
        }

        return texts;
    }

    /// <summary>The indicators that leave with the payload (none for withdrawals, notes and status changes).</summary>
    public static IEnumerable<Observable> IndicatorsOf(FederatedPayload payload) => payload.ItemCase switch
    {
        FederatedPayload.ItemOneofCase.Advisory => payload.Advisory.Indicators,
        FederatedPayload.ItemOneofCase.Incident => payload.Incident.Indicators,
        _ => [],
    };

    private static void AddList(List<PayloadText> texts, string field, Google.Protobuf.Collections.RepeatedField<string> list)
    {
        for (var i = 0; i < list.Count; i++)
        {
            var index = i;
            texts.Add(new($"{field}[{i}]", list[i], t => list[index] = t));
        }
    }

    private static void AddComments(List<PayloadText> texts, Google.Protobuf.Collections.RepeatedField<Observable> indicators)
    {
        for (var i = 0; i < indicators.Count; i++)
        {
            var indicator = indicators[i];
            texts.Add(new($"indicators[{i}].comment", indicator.Comment, t => indicator.Comment = t));
        }
    }
}
