using System.Text;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>The import wizard with a bank's OFX file, on a phone-sized screen: no columns to match, the rows shown before importing.</summary>
public sealed class ImportWizardTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task OfxWithDecimalCommas_IsPreviewedRowByRow_ThenImported_WithIncomeCountedApart()
    {
        await RegisterAndSignInAsync(Page, "Olga Ofx", currency: "EUR");
        var phone = Page;
        await phone.SetViewportSizeAsync(390, 844);
        var today = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var ofx = "OFXHEADER:100\nDATA:OFXSGML\nCHARSET:1252\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKTRANLIST>\n"
            + $"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{today}<TRNAMT>-200,00<FITID>A1<NAME>Miete &amp; Nebenkosten</STMTTRN>\n"
            + $"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{today}<TRNAMT>\n-3,775\n<FITID>A1<NAME>Kiosk</STMTTRN>\n"
            + $"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>{today}<TRNAMT>2500,00<FITID>A2<NAME>Gehalt</STMTTRN>\n"
            + "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

        await phone.GotoAsync("/import");
        await phone.GetByLabel("Statement file").SetInputFilesAsync(new FilePayload { Name = "konto.ofx", MimeType = "application/x-ofx", Buffer = Encoding.ASCII.GetBytes(ofx) });
        await phone.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();

        await Assertions.Expect(phone.GetByTestId("format")).ToHaveTextAsync("OFX / QFX");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Which column is which?" })).ToHaveCountAsync(0);
        var rows = phone.GetByTestId("preview-rows").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("€200.00");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Miete & Nebenkosten");
        // Dates as everywhere else in the reader's format (en-US here), not the file's or the API's.
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync(DateTime.UtcNow.ToString("d", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("€3.78");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("Income");
        await Assertions.Expect(phone.GetByTestId("warnings")).ToContainTextAsync("rounded to 3.78");
        await ShouldNotScrollSidewaysAsync(phone);

        await phone.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(phone.GetByTestId("imported")).ToContainTextAsync("2");
        await Assertions.Expect(phone.GetByTestId("incoming")).ToContainTextAsync("1");
        await Assertions.Expect(phone.GetByTestId("failed")).ToContainTextAsync("0");
    }
}
