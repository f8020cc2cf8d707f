using System.Globalization;
using System.Text.Json;
using PayTrack.Domain;
using PayTrack.Features.Imports.Parsing;
using Xunit.Abstractions;

namespace PayTrack.Tests.Features.Imports;

/// <summary>
/// Real bank exports collected from public repositories (Fixtures/Statements, sources in its README),
/// each read by PayTrack and compared with expectations.json, written by a second, independent reader
/// (Python's csv module with a hand-written description of each file; ofxparse for OFX; by hand for QIF).
/// Files whose expectation carries a mapping need that mapping (no header and no guessable names, a
/// flag column); the others must be read right with nothing but detection and guessing.
/// </summary>
public sealed class StatementCorpusTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Statements");
    private static readonly Dictionary<string, Expectation> Expectations =
        JsonSerializer.Deserialize<Dictionary<string, Expectation>>(File.ReadAllText(Path.Combine(Folder, "expectations.json")), JsonSerializerOptions.Web)!;
    private static readonly ParseOptions Eur = new(Currency.Get("EUR"));

    public sealed record Expectation(string Format, int Rows, int Spending, string SpendingTotal, int Income, string IncomeTotal, int Skipped, int Failed, JsonElement? Mapping);

    public static TheoryData<string> Files() => [.. Expectations.Keys.Order(StringComparer.Ordinal)];

    private static (int Rows, int Spending, decimal SpendingTotal, int Income, decimal IncomeTotal, int Skipped, int Failed) Read(string file, CsvMapping? mapping) =>
        Read(file, mapping, out _);

    private static (int Rows, int Spending, decimal SpendingTotal, int Income, decimal IncomeTotal, int Skipped, int Failed) Read(string file, CsvMapping? mapping, out string firstErrors)
    {
        var r = StatementReader.Read(File.ReadAllBytes(Path.Combine(Folder, file)), file, null, Eur with { Mapping = mapping }).Result;
        r.FileError.ShouldBeNull(file);
        firstErrors = string.Join("; ", r.Errors.Take(3));
        var spending = r.Rows.Where(x => !x.Income).ToList();
        var income = r.Rows.Where(x => x.Income).ToList();
        return (r.TransactionRows, spending.Count, spending.Sum(x => x.Amount.ToDecimal()), income.Count, income.Sum(x => x.Amount.ToDecimal()), r.Skipped, r.Errors.Count);
    }

    private static (int, int, decimal, int, decimal, int, int) Expected(Expectation e) =>
        (e.Rows, e.Spending, decimal.Parse(e.SpendingTotal, CultureInfo.InvariantCulture), e.Income, decimal.Parse(e.IncomeTotal, CultureInfo.InvariantCulture), e.Skipped, e.Failed);

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFile_IsReadAsTheIndependentReaderReadsIt(string file)
    {
        var e = Expectations[file];
        CsvMapping? mapping = e.Mapping is { ValueKind: JsonValueKind.Object } m ? m.Deserialize<CsvMapping>(JsonSerializerOptions.Web) : null;
        var got = Read(file, mapping, out var errors);
        got.ShouldBe(Expected(e), $"{file}: (rows, spending, total, income, total, skipped, failed); first errors: {errors}");
        // Every row lands in exactly one bucket.
        (got.Spending + got.Income + got.Skipped + got.Failed).ShouldBe(got.Rows);
    }

    [Fact]
    public void Corpus_HasFortyFilesFromEightCountries_AndMostNeedNoMapping()
    {
        Expectations.Count.ShouldBeGreaterThanOrEqualTo(40);
        Expectations.Keys.Select(k => k.Split('-')[0]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(8);
        var exactWithoutMapping = Expectations.Where(kv =>
        {
            try { return Read(kv.Key, null).Equals(Expected(kv.Value)); }
            catch (ShouldAssertException) { return false; }
        }).Select(kv => kv.Key).ToList();
        output.WriteLine($"Exact with detection alone: {exactWithoutMapping.Count} of {Expectations.Count}");
        foreach (var f in Expectations.Keys.Except(exactWithoutMapping).Order(StringComparer.Ordinal)) output.WriteLine($"needs a mapping: {f}");
        Expectations.Where(kv => kv.Value.Mapping is not { ValueKind: JsonValueKind.Object }).Select(kv => kv.Key).Except(exactWithoutMapping).ShouldBeEmpty();
    }
}
