package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenKeyTest {

    @ParameterizedTest
    @EnumSource(TokenKind.class)
    void parsesWhatItPrintsForEveryKind(TokenKind kind) {
        TokenKey key = TokenKey.of(kind, "wx0123456789abcdef.1000002");

        assertThat(key.asString()).isEqualTo(kind.id() + "/wx0123456789abcdef.1000002");
        assertThat(key).hasToString(key.asString());
        assertThat(TokenKey.parse(key.asString())).isEqualTo(key);
        assertThat(TokenKind.fromId(kind.id())).isSameAs(kind);
    }

    @Test
    void splitsIntoKindAndAccount() {
        TokenKey key = TokenKey.parse("wecom-access-token/ww1234567890abcd.1000002");

        assertThat(key.kind()).isEqualTo(TokenKind.WECOM_ACCESS_TOKEN);
        assertThat(key.account()).isEqualTo("ww1234567890abcd.1000002");
    }

    @Test
    void acceptsAKeyOfExactlyTheMaximumLength() {
        String account = "a".repeat(TokenKey.MAX_LENGTH - "wechat-access-token/".length());

        TokenKey key = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, account);

        assertThat(key.asString()).hasSize(TokenKey.MAX_LENGTH);
        assertThat(TokenKey.parse(key.asString())).isEqualTo(key);
    }

    @Test
    void rejectsAKeyOneCharacterOverTheMaximumLength() {
        String account = "a".repeat(TokenKey.MAX_LENGTH - "wechat-access-token/".length() + 1);

        assertThatThrownBy(() -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, account))
                .isInstanceOf(InvalidTokenKeyException.class)
                .hasMessageContaining("201 chars long; the limit is 200");
        assertThatThrownBy(() -> TokenKey.parse("wechat-access-token/" + account))
                .isInstanceOf(InvalidTokenKeyException.class)
                .hasMessageContaining("201 chars long; the limit is 200");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            wechat-foo/wx0123                  | unknown token kind 'wechat-foo'; known kinds: wechat-access-token, wecom-access-token
            WECHAT-ACCESS-TOKEN/wx0123         | unknown token kind 'WECHAT-ACCESS-TOKEN'
            /wx0123                            | unknown token kind ''
            wechat-access-token                | is not of the form <kind>/<account>
            wx0123                             | is not of the form <kind>/<account>
            wechat-access-token/               | has a blank account
            wechat-access-token/wx01/23        | has a '/' in its account
            """)
    void rejectsMalformedKeysSayingWhatIsWrong(String text, String problem) {
        assertThatThrownBy(() -> TokenKey.parse(text))
                .isInstanceOf(InvalidTokenKeyException.class)
                .hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "wx01 23",
                " wx0123",
                "wx0123 ",
                "wx01\t23",
                "wx01\n23",
                "wx01\u300023",
                "wx01\u00a023",
                "wx01\u000023"
            })
    void rejectsWhitespaceAndControlCharactersInTheAccount(String account) {
        assertThatThrownBy(() -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, account))
                .isInstanceOf(InvalidTokenKeyException.class)
                .hasMessageContaining("has whitespace in its account");
        assertThatThrownBy(() -> TokenKey.parse("wechat-access-token/" + account))
                .isInstanceOf(InvalidTokenKeyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void rejectsABlankAccount(String account) {
        assertThatThrownBy(() -> TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, account))
                .isInstanceOf(InvalidTokenKeyException.class)
                .hasMessage("token key of kind wechat-jsapi-ticket has a blank account");
    }

    @Test
    void rejectsAMissingKeyOrAccount() {
        assertThatThrownBy(() -> TokenKey.parse(null))
                .isInstanceOf(InvalidTokenKeyException.class)
                .hasMessage("token key is missing");
        assertThatThrownBy(() -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, null))
                .isInstanceOf(InvalidTokenKeyException.class)
                .hasMessageContaining("blank account");
        assertThatThrownBy(() -> TokenKind.fromId(null)).isInstanceOf(InvalidTokenKeyException.class);
    }

    @Test
    void ordersByItsStringForm() {
        TokenKey card = TokenKey.parse("wechat-card-ticket/wx1");
        TokenKey accessA = TokenKey.parse("wechat-access-token/wxa");
        TokenKey accessB = TokenKey.parse("wechat-access-token/wxb");
        List<TokenKey> keys = new ArrayList<>(List.of(card, accessB, accessA));

        Collections.sort(keys);

        assertThat(keys).containsExactly(accessA, accessB, card);
    }

    @Test
    void equalKeysAreEqualHowEverTheyWereMade() {
        TokenKey parsed = TokenKey.parse("wechat-authorizer-access-token/wxcomp.wxauth");
        TokenKey built = TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, "wxcomp.wxauth");

        assertThat(parsed).isEqualTo(built).hasSameHashCodeAs(built);
    }
}
