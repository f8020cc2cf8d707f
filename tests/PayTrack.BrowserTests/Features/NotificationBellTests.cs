using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>The bell in the header counts up on an open page when money arrives, without a reload (GET /me/events).</summary>
public sealed class NotificationBellTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task MoneyReceived_RaisesTheOpenPagesBellCount_WithoutAReload()
    {
        var (annEmail, _) = await RegisterAndSignInAsync(Page, "Ann Sender");
        var bob = await NewPageAsync();
        var bobEmail = $"bob-{Guid.NewGuid():N}"[..16] + "@example.com";
        await RegisterAsync(bob, "Bob Receiver", bobEmail);
        await bob.GotoAsync("/");
        var bell = bob.Locator("a.bell");
        await Assertions.Expect(bell).ToHaveAttributeAsync("data-unread", "0");

        // Ann, through the API: a deposit, then money to Bob by e-mail.
        using var api = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        var token = (await (await api.PostAsJsonAsync("/api/v1/auth/token", new { email = annEmail, password = Password })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var wallet = (await api.GetFromJsonAsync<JsonElement>("/api/v1/accounts")).GetProperty("items")[0].GetProperty("id").GetGuid();
        await PostAsync(api, "/api/v1/deposits", new { accountId = wallet, amount = "20.00" });
        for (var i = 0; i < 100 && (await api.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{wallet}")).GetProperty("balance").GetString() != "20.00"; i++)
            await Task.Delay(100);
        var reloads = 0;
        bob.FrameNavigated += (_, frame) => { if (frame == bob.MainFrame) reloads++; };
        await PostAsync(api, "/api/v1/transfers", new { fromAccountId = wallet, toEmail = bobEmail, amount = "7.50" });

        await Assertions.Expect(bob.Locator("a.bell .bell__count")).ToHaveTextAsync("1", new() { Timeout = 5_000 });
        await Assertions.Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");
        reloads.ShouldBe(0, "the count rose on the open page");
        await bell.ClickAsync();
        await Assertions.Expect(bob.GetByText("You received 7.50 USD")).ToBeVisibleAsync();
    }

    private static async Task PostAsync(HttpClient api, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        (await api.SendAsync(request)).EnsureSuccessStatusCode();
    }
}
