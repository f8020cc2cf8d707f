using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PayTrack.Domain;
using PayTrack.Domain.Ledger;

namespace PayTrack.Infrastructure.Web;

/// <summary>
/// What the JSON schema exporter cannot know about PayTrack's records: amounts are decimal strings, some
/// strings are one of a few values, some properties need words, and which request fields the use cases
/// really require (the records are all-nullable so that validation, not binding, explains what is missing).
/// Tables keyed by JSON schema name and camelCase property name; an entry the document no longer has is skipped
/// here and reported by OpenApiContractTests (so a rename elsewhere fails one test, not the document). ADR 0028.
/// </summary>
internal static class OpenApiSchemas
{
    /// <summary>A positive amount in major units, plain decimal notation.</summary>
    public const string AmountPattern = @"^[0-9]+(\.[0-9]+)?$";
    /// <summary>An amount in an answer: exactly the currency's minor digits; a balance may be negative.</summary>
    public const string SignedAmountPattern = @"^-?[0-9]+(\.[0-9]+)?$";

    private const string AmountRequestWords =
        "A positive decimal amount in major units, with no more decimals than the currency allows (USD 2, JPY 0, BHD 3), e.g. \"12.34\". "
        + "Send it as a string; a JSON number (12.34) is accepted too and read digit for digit, never as binary floating point.";
    private const string AmountResponseWords = "A decimal string in major units with exactly the currency's minor digits, e.g. \"12.34\".";

    /// <summary>Properties of answers that are amounts (decimal strings), by camelCase name.</summary>
    private static readonly HashSet<string> ResponseAmounts = ["amount", "balance", "available", "balanceAfter", "total", "spent", "remaining"];

    private static readonly Dictionary<(string Schema, string Property), string[]> Enums = new()
    {
        [("TransferResponse", "status")] = TransferStatus.All,
        [("PaymentResponse", "status")] = [PaymentStatus.Pending, PaymentStatus.Success, PaymentStatus.Failed],
        [("UserResponse", "status")] = [UserStatus.Active, UserStatus.Suspended, UserStatus.Closed],
        [("AccountResponse", "status")] = [Data.AccountStatus.Active, Data.AccountStatus.Suspended, Data.AccountStatus.Closed],
        [("ExpenseRequest", "kind")] = Data.ExpenseKinds.All,
        [("ExpenseResponse", "kind")] = Data.ExpenseKinds.All,
        [("OutboxMessageResponse", "status")] = Data.OutboxStatus.All,
        [("EntryResponse", "direction")] = ["debit", "credit"],
        [("BudgetRequest", "period")] = [BudgetPeriod.Monthly, BudgetPeriod.Weekly],
        [("BudgetResponse", "period")] = [BudgetPeriod.Monthly, BudgetPeriod.Weekly],
        [("SpendingReport", "groupBy")] = ["category", "month", "week", "day", "tag", "payee"],
        [("CreateRuleRequest", "match")] = ["all", "any"],
        [("RuleResponse", "match")] = ["all", "any"],
        [("RuleCondition", "field")] = ["payee", "description", "amount"],
        [("RuleCondition", "op")] = ["contains", "equals", "regex", "gt", "lt"],
        [("TokenResponse", "tokenType")] = ["Bearer"],
    };

    /// <summary>Values of string arrays (the enum goes on the items).</summary>
    private static readonly Dictionary<(string Schema, string Property), string[]> ItemEnums = new()
    {
        [("UserResponse", "roles")] = [Roles.Admin, Roles.User],
    };

    private static readonly Dictionary<(string Schema, string Property), string> Descriptions = new()
    {
        [("SendTransferRequest", "fromAccountId")] = "One of your wallets.",
        [("SendTransferRequest", "toAccountId")] = "The receiving wallet. Give exactly one of toAccountId and toEmail.",
        [("SendTransferRequest", "toEmail")] = "The recipient's e-mail: their Main (or first) wallet in the same currency. Give exactly one of toAccountId and toEmail.",
        [("SendTransferRequest", "hold")] = "true: reserve the money (status pending) until capture, void or expiry.",
        [("SendTransferRequest", "expiresInSeconds")] = "For a hold: seconds until it expires and the money is released.",
        [("TransferResponse", "failureReason")] = "Why a failed transfer failed; null otherwise.",
        [("TransferResponse", "expiresAt")] = "When a pending hold expires; null otherwise.",
        [("AccountResponse", "balance")] = "Posted money.",
        [("AccountResponse", "available")] = "balance minus pending holds: what can be sent now.",
        [("EntryResponse", "transferId")] = "The transfer or payment this posting belongs to.",
        [("EntryResponse", "balanceAfter")] = "The wallet's balance right after this posting.",
        [("DepositRequest", "paymentMethod")] = "Sandbox provider: \"sandbox:success\" (default), \"sandbox:decline\" or \"sandbox:unavailable\".",
        [("WithdrawalRequest", "destination")] = "Where the provider sends the money (free text, up to 200 characters).",
        [("RegisterRequest", "password")] = "At least 10 characters, not equal to the e-mail.",
        [("RegisterRequest", "defaultCurrency")] = "ISO 4217 code; default USD. A wallet named Main is opened in it.",
        [("TokenRequest", "totp")] = "The current two-factor code, when two-factor sign-in is on.",
        [("TokenResponse", "expiresIn")] = "Seconds until the access token expires.",
        [("UserResponse", "roles")] = "The first user ever registered is admin; everyone else is user.",
        [("ExpenseRequest", "currency")] = "ISO 4217 code; default: your default currency.",
        [("ExpenseRequest", "date")] = "YYYY-MM-DD.",
        [("ExpenseRequest", "tags")] = "Free-form tags; trimmed, lower-cased and de-duplicated.",
        [("ExpenseRequest", "accountId")] = "The wallet it was paid from, if any.",
        [("ExpenseRequest", "kind")] = "expense (the default) or income; spending reports and budgets count expense entries only.",
        [("AccountResponse", "status")] = "Only an active wallet sends or receives money; a suspended user's wallets are suspended; closed is final.",
        [("BudgetRequest", "categoryId")] = "Absent: an overall budget; otherwise the category with its sub-categories.",
        [("BudgetRequest", "startDay")] = "Monthly: day of month 1–28; weekly: 1 (Monday) to 7 (Sunday). Default 1.",
        [("BudgetResponse", "percentUsed")] = "spent as a percentage of amount in the current period.",
        [("BudgetResponse", "missingRates")] = "Expenses in other currencies left out for want of an exchange rate.",
        [("CreateRuleRequest", "match")] = "all: every condition must hold; any: one is enough.",
        [("CreateRuleRequest", "setCategoryId")] = "The category given to matching expenses. A rule sets a category, adds tags, or both.",
        [("RuleCondition", "value")] = "Text for contains/equals/regex; a decimal amount for gt/lt.",
        [("RateInput", "rate")] = "Units of quote for one unit of base, a positive decimal string such as \"1.0845\" (a JSON number is accepted too).",
        [("ImportResult", "imported")] = "New expenses stored.",
        [("ImportResult", "duplicates")] = "Rows already present (same bank id, or same date, amount, currency and payee), skipped.",
        [("ImportResult", "failed")] = "Bad rows, listed in errors. Unless skipInvalid=true, a file with bad rows stores nothing.",
        [("ImportResult", "skipped")] = "Rows that are money coming in, not spending.",
        [("ImportError", "line")] = "1-based line of the file; the header is line 1.",
        [("SpendingGroup", "key")] = "Category id, YYYY-MM, ISO week YYYY-Www, YYYY-MM-DD, the tag or the payee, by groupBy.",
        [("SpendingGroup", "label")] = "What a person reads: the category's name, \"March 2026\", ...",
        [("SpendingReport", "missingRates")] = "Currencies and dates without an exchange rate; those expenses are left out of the totals.",
        [("BatchItemResult", "status")] = "The HTTP status this transfer would have answered on its own (201, 400, 404, 422...).",
        [("BatchItemResult", "problem")] = "The refusal, as a problem, when status is not 201.",
        [("AuditVerifyResponse", "firstInvalidId")] = "The first event whose hash does not match; null when the chain is intact.",
    };

    private static readonly Dictionary<string, string> SchemaDescriptions = new()
    {
        ["SendTransferRequest"] = "A transfer from one of your wallets. Exactly one of toAccountId and toEmail.",
        ["TransferResponse"] = "A transfer between two wallets.",
        ["PaymentResponse"] = "A deposit or withdrawal through the payment provider.",
        ["EntryResponse"] = "One posting on a wallet: money out (debit) or in (credit).",
        ["DepositRequest"] = "Money into one of your wallets through the payment provider.",
        ["WithdrawalRequest"] = "Money out of one of your wallets through the payment provider.",
        ["BatchTransferRequest"] = "1 to 1000 transfers, each like the body of POST /transfers.",
        ["BatchItemResult"] = "The outcome of one item of a batch, in the order sent.",
        ["RegisterRequest"] = "A new account.",
        ["TokenRequest"] = "Sign-in credentials.",
        ["RefreshRequest"] = "A refresh token from sign-in or an earlier refresh; it can be used once.",
        ["LogoutRequest"] = "The refresh token of the sign-in to end (the caller's current session ends in any case).",
        ["AuditEventResponse"] = "One audit event: who (actorId) did what (event) to which entity; data holds the details.",
        ["AuditVerifyResponse"] = "Whether the audit trail's hash chain is intact, and how many events were checked.",
        ["BudgetRequest"] = "A monthly or weekly budget, overall or for one category (with its sub-categories).",
        ["CategoryResponse"] = "A category; parentId is set for a sub-category (one level deep).",
        ["CreateRuleRequest"] = "A rule: when its conditions match (all or any), it sets a category and/or adds tags.",
        ["ExchangeRateResponse"] = "Units of quote for one unit of base on date.",
        ["ImportResult"] = "What an import did: imported, duplicates, failed (with errors by line) and skipped rows.",
        ["SpendingReport"] = "Spending between from and to, converted into currency and grouped by groupBy.",
        ["RateInput"] = "One exchange rate to insert or replace.",
        ["ReceiptResponse"] = "A receipt file attached to an expense; sha256 is the hex digest of its bytes.",
        ["ProblemDetails"] = "An RFC 9457 problem. Business-rule refusals have type /problems/<slug>.",
        ["HttpValidationProblemDetails"] = "An RFC 9457 problem; validation errors list messages per field in errors.",
    };

    /// <summary>
    /// Request fields the use cases refuse to go without (400 when missing). Every other field of a request
    /// body is optional: nullable fields are taken out of <c>required</c> by <see cref="FixRequired"/>.
    /// </summary>
    private static readonly Dictionary<string, string[]> RequiredRequestFields = new()
    {
        ["RegisterRequest"] = ["email", "password", "displayName"],
        ["TokenRequest"] = ["email", "password"],
        ["RefreshRequest"] = ["refreshToken"],
        ["LogoutRequest"] = ["refreshToken"],
        ["ChangePasswordRequest"] = ["currentPassword", "newPassword"],
        ["CreateAccountRequest"] = ["name", "currency"],
        ["SendTransferRequest"] = ["fromAccountId", "amount"],
        ["BatchTransferRequest"] = ["transfers"],
        ["DepositRequest"] = ["accountId", "amount"],
        ["WithdrawalRequest"] = ["accountId", "amount"],
        ["CreateCategoryRequest"] = ["name"],
        ["ExpenseRequest"] = ["amount", "date"],
        ["BudgetRequest"] = ["name", "amount", "period"],
        ["CreateRuleRequest"] = ["name", "match", "conditions"],
        ["RuleCondition"] = ["field", "op", "value"],
        ["SetExchangeRatesRequest"] = ["rates"],
        ["RateInput"] = ["date", "base", "quote", "rate"],
    };

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var property = context.JsonPropertyInfo;
        if (property is null) return Task.CompletedTask;
        if (property.CustomConverter is AmountTextConverter)
        {
            // The exporter cannot see through the converter and leaves the schema empty.
            var nullable = property.IsSetNullable;
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Pattern = AmountPattern;
            schema.Description = AmountRequestWords;
            schema.Examples = [JsonValue.Create(property.Name == "rate" ? "1.0845" : "12.34")];
        }
        else if (ResponseAmounts.Contains(property.Name) && schema.Type == JsonSchemaType.String)
        {
            schema.Pattern = SignedAmountPattern;
            schema.Description = AmountResponseWords;
            schema.Examples = [JsonValue.Create("12.34")];
        }
        return Task.CompletedTask;
    }

    /// <summary>Enums, descriptions and <c>required</c>, applied to the finished document's component schemas.</summary>
    public static void Apply(OpenApiDocument doc)
    {
        var schemas = doc.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, words) in SchemaDescriptions)
            if (schemas.TryGetValue(name, out var s) && s is OpenApiSchema schema) schema.Description = words;
        foreach (var ((name, prop), values) in Enums)
            if (Property(schemas, name, prop) is { } p) p.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        foreach (var ((name, prop), values) in ItemEnums)
            if (Property(schemas, name, prop)?.Items is OpenApiSchema items) items.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        foreach (var ((name, prop), words) in Descriptions)
            if (Property(schemas, name, prop) is { } p) p.Description = p.Description is null ? words : words + " " + p.Description;
        FixRequired(doc, schemas);
    }

    /// <summary>
    /// In request bodies, nullable means optional: such fields leave <c>required</c>, and only the fields the
    /// use case demands (<see cref="RequiredRequestFields"/>) are in it.
    /// </summary>
    private static void FixRequired(OpenApiDocument doc, IDictionary<string, IOpenApiSchema> schemas)
    {
        var requestSchemas = new HashSet<string>();
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                CollectReferences(media.Schema, schemas, requestSchemas);
        foreach (var name in requestSchemas)
        {
            if (schemas[name] is not OpenApiSchema schema || schema.Properties is null) continue;
            schema.Required ??= new HashSet<string>();
            // Nullable, an empty schema (a converter's) or a reference: only the table says whether it is required.
            foreach (var p in schema.Required.Where(p => schema.Properties.TryGetValue(p, out var ps) && (ps.Type is not { } t || t.HasFlag(JsonSchemaType.Null))).ToList())
                schema.Required.Remove(p);
            if (RequiredRequestFields.TryGetValue(name, out var required))
            {
                foreach (var p in required)
                {
                    schema.Required.Add(p);
                    // null is refused like a missing field (400), so a required field is not nullable either.
                    if (schema.Properties.TryGetValue(p, out var ps) && ps is OpenApiSchema s && s.Type is { } t) s.Type = t & ~JsonSchemaType.Null;
                }
            }
        }
    }

    private static void CollectReferences(IOpenApiSchema? schema, IDictionary<string, IOpenApiSchema> schemas, HashSet<string> found)
    {
        if (schema is null) return;
        if (schema is OpenApiSchemaReference reference)
        {
            var id = reference.Reference.Id;
            if (id is null || !found.Add(id) || !schemas.TryGetValue(id, out var target)) return;
            schema = target;
        }
        foreach (var p in schema.Properties?.Values ?? []) CollectReferences(p, schemas, found);
        CollectReferences(schema.Items, schemas, found);
        foreach (var s in (schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? [])) CollectReferences(s, schemas, found);
    }

    private static OpenApiSchema? Property(IDictionary<string, IOpenApiSchema> schemas, string schemaName, string property) =>
        schemas.TryGetValue(schemaName, out var s) && s is OpenApiSchema schema && schema.Properties?.TryGetValue(property, out var p) == true ? p as OpenApiSchema : null;

    /// <summary>Every schema and property the tables name (property null: the schema itself), for the test that finds stale entries.</summary>
    internal static IEnumerable<(string Schema, string? Property)> Entries() =>
        Enums.Keys.Concat(ItemEnums.Keys).Concat(Descriptions.Keys).Select(k => (k.Schema, (string?)k.Property))
            .Concat(SchemaDescriptions.Keys.Select(k => (k, (string?)null)))
            .Concat(RequiredRequestFields.SelectMany(r => r.Value.Select(p => (r.Key, (string?)p))));
}
