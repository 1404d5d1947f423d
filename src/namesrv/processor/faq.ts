// Java's FAQUrl.suggestTodo(APPLY_TOPIC_URL) suffix, appended to TOPIC_NOT_EXIST remarks.
export const FAQ_URL = 'https://rocketmq.apache.org/docs/bestPractice/06FAQ';
export const FAQ_SUFFIX = `\nSee ${FAQ_URL} for further details.`;
