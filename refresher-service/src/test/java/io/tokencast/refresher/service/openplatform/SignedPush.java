package io.tokencast.refresher.service.openplatform;

import java.time.Instant;
import java.util.UUID;

/** Builds callback pushes the way WeChat does, signed and encrypted with a platform's crypto. */
record SignedPush(String timestamp, String nonce, String encrypted, String msgSignature, String outerAppid) {

    static SignedPush of(MessageCrypto crypto, Instant at, String innerXml) {
        String timestamp = Long.toString(at.getEpochSecond());
        String nonce = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String encrypted = crypto.encrypt(innerXml);
        return new SignedPush(
                timestamp, nonce, encrypted, crypto.signature(timestamp, nonce, encrypted), crypto.appid());
    }

    static String ticketXml(String appid, String ticket, Instant at) {
        return "<xml><AppId><![CDATA[" + appid + "]]></AppId><CreateTime>" + at.getEpochSecond()
                + "</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType>"
                + "<ComponentVerifyTicket><![CDATA[" + ticket + "]]></ComponentVerifyTicket></xml>";
    }

    static String eventXml(String appid, String infoType, String authorizerAppid, String code, Instant at) {
        return "<xml><AppId>" + appid + "</AppId><CreateTime>" + at.getEpochSecond() + "</CreateTime><InfoType>"
                + infoType + "</InfoType><AuthorizerAppid>" + authorizerAppid + "</AuthorizerAppid>"
                + (code == null ? "" : "<AuthorizationCode>" + code + "</AuthorizationCode>")
                + "<AuthorizationCodeExpiredTime>" + (at.getEpochSecond() + 3600) + "</AuthorizationCodeExpiredTime>"
                + "</xml>";
    }

    String query() {
        return "signature=ignored&timestamp=" + timestamp + "&nonce=" + nonce + "&encrypt_type=aes&msg_signature="
                + msgSignature;
    }

    String body() {
        return "<xml>\n    <AppId><![CDATA[" + outerAppid + "]]></AppId>\n    <Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt>\n</xml>";
    }

    SignedPush withSignature(String signature) {
        return new SignedPush(timestamp, nonce, encrypted, signature, outerAppid);
    }
}
