using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Web;

/// <summary>The send-money pages without JavaScript: review (nothing booked), confirm (booked once per form).</summary>
public sealed class WebSendTests : ApiTest
{
    private const string Password = "correct horse battery";

    private async Task<HttpClient> WebSignInAsync(SignedInUser user)
    {
        var web = App.Anonymous();
        var res = await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return web;
    }

    [Fact]
    public async Task Confirm_PostedTwice_BooksOnce()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password);
        var bob = await App.RegisterAndSignInAsync(password: Password);
        var wallet = await PayTrackApp.MainWalletAsync(alice);
        await App.FundAsync(alice.Id, wallet.Id, "100.00");
        var web = await WebSignInAsync(alice);

        var form = new Dictionary<string, string>
        {
            ["Input.FromAccountId"] = wallet.Id.ToString(), ["Input.To"] = "email", ["Input.ToEmail"] = bob.Email,
            ["Input.Amount"] = "30", ["Input.Description"] = "Rent share", ["Input.Hold"] = "false",
        };
        var review = await web.SubmitAsync("/send", form, "/send?handler=Review");
        review.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await review.Content.ReadAsStringAsync();
        html.ShouldContain("Check and confirm");
        (await PayTrackApp.MainWalletAsync(bob)).Balance.ShouldBe("0.00", "reviewing books nothing");

        var key = System.Text.RegularExpressions.Regex.Match(html, "name=\"Input.FormKey\" value=\"([0-9a-f]+)\"").Groups[1].Value;
        key.ShouldNotBeEmpty();
        form["Input.FormKey"] = key;
        var first = await web.SubmitAsync("/send", form, "/send?handler=Confirm");
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var again = await web.SubmitAsync("/send", form, "/send?handler=Confirm");
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await PayTrackApp.MainWalletAsync(bob)).Balance.ShouldBe("30.00");
        (await PayTrackApp.MainWalletAsync(alice)).Balance.ShouldBe("70.00");
        var flash = await (await web.GetAsync(again.Headers.Location)).Content.ReadAsStringAsync();
        flash.ShouldContain("That transfer was already sent.");
    }

    [Fact]
    public async Task Review_WithUnknownRecipient_ShowsTheEnginesRefusalNextToTheField()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password);
        var wallet = await PayTrackApp.MainWalletAsync(alice);
        var web = await WebSignInAsync(alice);
        var res = await web.SubmitAsync("/send", new Dictionary<string, string>
        {
            ["Input.FromAccountId"] = wallet.Id.ToString(), ["Input.To"] = "email", ["Input.ToEmail"] = "ghost@example.com", ["Input.Amount"] = "5",
        }, "/send?handler=Review");
        var html = WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync());
        html.ShouldContain("No PayTrack user has that e-mail address.");
        html.ShouldContain("value=\"ghost@example.com\"");
        html.ShouldNotContain("Check and confirm");
    }

    [Fact]
    public async Task MoneyForms_TakeAmountsAsTheReaderWritesThem_AndRefuseATypoInsteadOfGuessing()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password, currency: "USD");
        var bob = await App.RegisterAndSignInAsync(password: Password, currency: "USD");
        var wallet = await PayTrackApp.MainWalletAsync(alice);
        await App.FundAsync(alice.Id, wallet.Id, "2000.00");
        var web = await WebSignInAsync(alice);

        // Send: "1.000,50" is the same amount as "1,000.50" and "1000.50", as on the expense form.
        var form = new Dictionary<string, string>
        {
            ["Input.FromAccountId"] = wallet.Id.ToString(), ["Input.To"] = "email", ["Input.ToEmail"] = bob.Email,
            ["Input.Amount"] = "1.000,50", ["Input.Hold"] = "false",
        };
        var review = WebUtility.HtmlDecode(await (await web.SubmitAsync("/send", form, "/send?handler=Review")).Content.ReadAsStringAsync());
        review.ShouldContain("Check and confirm");
        review.ShouldContain("name=\"Input.Amount\" value=\"1000.50\"", Case.Sensitive, "the confirm step carries the normalised amount");
        form["Input.Amount"] = "1000.50";
        form["Input.FormKey"] = System.Text.RegularExpressions.Regex.Match(review, "name=\"Input.FormKey\" value=\"([0-9a-f]+)\"").Groups[1].Value;
        (await web.SubmitAsync("/send", form, "/send?handler=Confirm")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PayTrackApp.MainWalletAsync(bob)).Balance.ShouldBe("1000.50");

        // A typo is refused with a person's words, never read as 125.
        form["Input.Amount"] = "12..5";
        var typo = WebUtility.HtmlDecode(await (await web.SubmitAsync("/send", form, "/send?handler=Review")).Content.ReadAsStringAsync());
        typo.ShouldNotContain("Check and confirm");
        typo.ShouldContain("Amount must be a number such as 12.50.");

        // Add money: "12,50".
        var deposit = await web.SubmitAsync($"/wallets/{wallet.Id}/deposit", new Dictionary<string, string>
        {
            ["Input.Amount"] = "12,50", ["Input.PaymentMethod"] = "sandbox:success", ["Input.FormKey"] = Guid.NewGuid().ToString("N"),
        });
        deposit.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        deposit.Headers.Location!.OriginalString.ShouldStartWith("/payments/deposit/");
        WebUtility.HtmlDecode(await web.GetStringAsync(deposit.Headers.Location)).ShouldContain("$12.50");

        // A budget's limit: "1,234.50"; its error names the field as the form does ("Limit").
        var budget = await web.SubmitAsync("/budgets", new Dictionary<string, string>
        {
            ["Form.Name"] = "Everything", ["Form.Amount"] = "1,234.50", ["Form.Currency"] = "USD", ["Form.Period"] = "monthly", ["Form.StartDay"] = "1",
        });
        budget.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        WebUtility.HtmlDecode(await web.GetStringAsync("/budgets")).ShouldContain("$1,234.50");
        var empty = await web.SubmitAsync("/budgets", new Dictionary<string, string> { ["Form.Name"] = "Food", ["Form.Currency"] = "USD", ["Form.Period"] = "monthly" });
        WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync()).ShouldContain("Limit is required.");
    }

    [Fact]
    public async Task Review_BetweenOwnWalletsInTwoCurrencies_SaysSoUnderMyWallet_NotUnderTheHiddenEmailField()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password, currency: "EUR");
        var main = await PayTrackApp.MainWalletAsync(alice);
        await App.FundAsync(alice.Id, main.Id, "50.00");
        var opened = await alice.Client.PostAsJsonAsync("/api/v1/accounts", new { name = "Travel", currency = "USD" });
        opened.StatusCode.ShouldBe(HttpStatusCode.Created);
        var travel = (await opened.Content.ReadFromJsonAsync<AccountDto>())!;
        var web = await WebSignInAsync(alice);

        var res = await web.SubmitAsync("/send", new Dictionary<string, string>
        {
            ["Input.FromAccountId"] = main.Id.ToString(), ["Input.To"] = "own", ["Input.ToAccountId"] = travel.Id.ToString(), ["Input.Amount"] = "10",
        }, "/send?handler=Review");
        var html = WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync());
        html.ShouldNotContain("Check and confirm");
        var underMyWallet = System.Text.RegularExpressions.Regex.Match(html, "<small id=\"to-error\"[^>]*>(.*?)</small>", System.Text.RegularExpressions.RegexOptions.Singleline);
        underMyWallet.Groups[1].Value.ShouldContain("USD");
    }

    [Fact]
    public async Task Withdraw_MoreThanAvailable_SaysWhatThereIs_AsEveryPageShowsMoney()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password, currency: "USD");
        var wallet = await PayTrackApp.MainWalletAsync(alice);
        await App.FundAsync(alice.Id, wallet.Id, "1020.00");
        var web = await WebSignInAsync(alice);
        var res = await web.SubmitAsync($"/wallets/{wallet.Id}/withdraw", new Dictionary<string, string>
        {
            ["Input.Amount"] = "2,000", ["Input.Destination"] = "DE89 3704 0044 0532 0130 00", ["Input.FormKey"] = Guid.NewGuid().ToString("N"),
        });
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync());
        System.Text.RegularExpressions.Regex.Match(html, "<small id=\"amount-error\"[^>]*>(.*?)</small>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Groups[1].Value.ShouldContain("That is more than Main has available ($1,020.00).");
        (await PayTrackApp.MainWalletAsync(alice)).Available.ShouldBe("1020.00");
    }

    [Fact]
    public async Task WalletPage_OfSomeoneElse_Is404()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password);
        var bob = await App.RegisterAndSignInAsync(password: Password);
        var bobs = await PayTrackApp.MainWalletAsync(bob);
        var web = await WebSignInAsync(alice);
        (await web.GetAsync($"/wallets/{bobs.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await web.GetAsync($"/wallets/{bobs.Id}/deposit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
